-- Included (after holders.lua) by reap, leave and restore. remove(prefix, node, keep)
-- removes what a node holds: all of it, or everything but the entries in keep (a table of
-- "room\nuser" to true). Returns {room, user, count, ...} of the users who left with it
-- (those with no connection on another node).
local function remove(prefix, node, keep)
  local set = prefix .. ':node:' .. node
  local out = {}
  for _, entry in ipairs(redis.call('SMEMBERS', set)) do
    if not keep[entry] then
      local cut = string.find(entry, '\n', 1, true)
      local room = string.sub(entry, 1, cut - 1)
      local user = string.sub(entry, cut + 1)
      local members = prefix .. ':members:' .. room
      redis.call('SREM', set, entry)
      local holders = redis.call('HGET', members, user)
      if holders then
        local kept, dropped = without(holders, node)
        if #kept == 0 then
          redis.call('HDEL', members, user)
          named(prefix, room, user, false)
          redis.call('HDEL', prefix .. ':resume:' .. room, user)
          out[#out + 1] = room
          out[#out + 1] = user
          out[#out + 1] = count(prefix, room)
        elseif dropped > 0 then
          redis.call('HSET', members, user, table.concat(kept, ' '))
        end
      end
    end
  end
  return out
end
