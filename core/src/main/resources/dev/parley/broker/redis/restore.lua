-- Writes a node's members again when Redis is back (after now.lua, holders.lua, remove.lua).
-- ARGV: prefix, node, ttl ms, shared ("1" or "0"), then "room\nuser\nconnections" for
-- what the node holds. Writes them again (without identity only where nobody else holds
-- the name), removes the rest of what Redis has for the node. Returns what was removed,
-- as remove() does.
redis.call('ZADD', ARGV[1] .. ':nodes', now + tonumber(ARGV[3]), ARGV[2])
local keep = {}
for i = 5, #ARGV do
  local held = ARGV[i]
  local cut = string.find(held, '\n', 1, true)
  local cut2 = string.find(held, '\n', cut + 1, true)
  local room = string.sub(held, 1, cut - 1)
  local user = string.sub(held, cut + 1, cut2 - 1)
  local connections = tonumber(string.sub(held, cut2 + 1))
  local entry = room .. '\n' .. user
  local members = ARGV[1] .. ':members:' .. room
  local holders = redis.call('HGET', members, user)
  local others = {}
  if holders then others = without(holders, ARGV[2]) end
  if #others == 0 or ARGV[4] == '1' then
    keep[entry] = true
    for j = 1, connections do others[#others + 1] = ARGV[2] end
    redis.call('HSET', members, user, table.concat(others, ' '))
    named(ARGV[1], room, user, true)
    redis.call('SADD', ARGV[1] .. ':node:' .. ARGV[2], entry)
    count(ARGV[1], room)
  end
end
return remove(ARGV[1], ARGV[2], keep)
