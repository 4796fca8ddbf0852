-- Included by the scripts that change members. A user's holders are the value of the
-- members hash: one node id per connection, space separated (one entry without identity).
-- without(holders, node) is the list with that node's entries dropped, and how many were
-- dropped; count(prefix, room) writes the room's member count to P:rooms (or drops the
-- room there when it is empty) and returns it. A room's names are also a sorted set,
-- P:names:<room> (score 0: ordered by their bytes, so by code point), for pages:
-- named(prefix, room, user, present) adds or removes one, and names(prefix, room) returns
-- the set's key, made again from the hash first if the two disagree (a node of an older
-- version wrote the hash alone).
local function without(holders, node)
  local kept, dropped = {}, 0
  for holder in string.gmatch(holders, '%S+') do
    if holder == node then dropped = dropped + 1 else kept[#kept + 1] = holder end
  end
  return kept, dropped
end
local function named(prefix, room, user, present)
  if present then redis.call('ZADD', prefix .. ':names:' .. room, 0, user)
  else redis.call('ZREM', prefix .. ':names:' .. room, user) end
end
local function names(prefix, room)
  local set = prefix .. ':names:' .. room
  local members = prefix .. ':members:' .. room
  if redis.call('ZCARD', set) ~= redis.call('HLEN', members) then
    redis.call('DEL', set)
    for _, user in ipairs(redis.call('HKEYS', members)) do redis.call('ZADD', set, 0, user) end
  end
  return set
end
local function count(prefix, room)
  local members = prefix .. ':members:' .. room
  local n = redis.call('HLEN', members)
  if n == 0 then redis.call('HDEL', prefix .. ':rooms', room)
  else redis.call('HSET', prefix .. ':rooms', room, n) end
  return n
end
