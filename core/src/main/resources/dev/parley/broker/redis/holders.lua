-- Included by the scripts that change members. A user's holders are the value of the
-- members hash: one node id per connection, space separated (one entry without identity).
-- without(holders, node) is the list with that node's entries dropped, and how many were
-- dropped; count(prefix, room) writes the room's member count to P:rooms (or drops the
-- room there when it is empty) and returns it.
local function without(holders, node)
  local kept, dropped = {}, 0
  for holder in string.gmatch(holders, '%S+') do
    if holder == node then dropped = dropped + 1 else kept[#kept + 1] = holder end
  end
  return kept, dropped
end
local function count(prefix, room)
  local members = prefix .. ':members:' .. room
  local n = redis.call('HLEN', members)
  if n == 0 then redis.call('HDEL', prefix .. ':rooms', room)
  else redis.call('HSET', prefix .. ':rooms', room, n) end
  return n
end
