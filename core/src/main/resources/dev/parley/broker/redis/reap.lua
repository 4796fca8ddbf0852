-- Reaps a dead node unless it came back (after now.lua, holders.lua, remove.lua).
-- ARGV: prefix, dead node. Returns what was removed, as remove() does.
local alive = redis.call('ZSCORE', ARGV[1] .. ':nodes', ARGV[2])
if alive and tonumber(alive) > now then return {} end
redis.call('ZREM', ARGV[1] .. ':nodes', ARGV[2])
return remove(ARGV[1], ARGV[2], {})
