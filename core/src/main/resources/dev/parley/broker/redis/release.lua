-- Gives back one connection of the node's (after holders.lua).
-- ARGV: prefix, room, user, node. Returns the count after if that was the user's last
-- connection anywhere, else -1.
local members = ARGV[1] .. ':members:' .. ARGV[2]
local holders = redis.call('HGET', members, ARGV[3])
if not holders then return -1 end
local kept, dropped = without(holders, ARGV[4])
if dropped == 0 then return -1 end
for i = 2, dropped do kept[#kept + 1] = ARGV[4] end
if dropped == 1 then redis.call('SREM', ARGV[1] .. ':node:' .. ARGV[4], ARGV[2] .. '\n' .. ARGV[3]) end
if #kept > 0 then
  redis.call('HSET', members, ARGV[3], table.concat(kept, ' '))
  return -1
end
redis.call('HDEL', members, ARGV[3])
named(ARGV[1], ARGV[2], ARGV[3], false)
redis.call('HDEL', ARGV[1] .. ':resume:' .. ARGV[2], ARGV[3])
return count(ARGV[1], ARGV[2])
