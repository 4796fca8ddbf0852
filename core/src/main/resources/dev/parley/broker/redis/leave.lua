-- This node leaves the cluster (after holders.lua, remove.lua).
-- ARGV: prefix, node. Returns what was removed, as remove() does.
redis.call('ZREM', ARGV[1] .. ':nodes', ARGV[2])
return remove(ARGV[1], ARGV[2], {})
