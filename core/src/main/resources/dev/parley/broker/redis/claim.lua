-- Claims a name in a room for one connection of a node (after now.lua, holders.lua).
-- ARGV: prefix, room, user, node, shared ("1": identity on, a user may hold several
-- connections), key (kept with the claim, or ""), presented (the key a rejoin presents,
-- or ""). Holders on dead nodes are dropped first. Where the name is held, a presented key
-- equal to the one kept takes it over: the other nodes' holds are dropped (a node not yet
-- known dead too), this node's kept. ARGV[8]: how many names to return at most (-1: all).
-- Returns {0} if taken, else {1, count, first (1 or 0), took over (1 or 0), the room's
-- first names in order...}.
local members = ARGV[1] .. ':members:' .. ARGV[2]
local keys = ARGV[1] .. ':resume:' .. ARGV[2]
local entry = ARGV[2] .. '\n' .. ARGV[3]
local holders = redis.call('HGET', members, ARGV[3])
local kept = {}
local tookOver = 0
if holders then
  for holder in string.gmatch(holders, '%S+') do
    local alive = redis.call('ZSCORE', ARGV[1] .. ':nodes', holder)
    if holder == ARGV[4] or (alive and tonumber(alive) > now) then kept[#kept + 1] = holder
    else redis.call('SREM', ARGV[1] .. ':node:' .. holder, entry) end
  end
  if #kept > 0 and ARGV[5] ~= '1' then
    if ARGV[7] == '' or redis.call('HGET', keys, ARGV[3]) ~= ARGV[7] then return {0} end
    local mine = {}
    for _, holder in ipairs(kept) do
      if holder == ARGV[4] then mine[#mine + 1] = holder
      else redis.call('SREM', ARGV[1] .. ':node:' .. holder, entry) end
    end
    kept = mine
    tookOver = 1
  end
end
local first = (#kept == 0 and tookOver == 0) and 1 or 0
kept[#kept + 1] = ARGV[4]
redis.call('HSET', members, ARGV[3], table.concat(kept, ' '))
named(ARGV[1], ARGV[2], ARGV[3], true)
redis.call('SADD', ARGV[1] .. ':node:' .. ARGV[4], entry)
if ARGV[6] ~= '' then redis.call('HSET', keys, ARGV[3], ARGV[6]) end
local out = {1, count(ARGV[1], ARGV[2]), first, tookOver}
local page = tonumber(ARGV[8])
if page ~= 0 then
  for _, user in ipairs(redis.call('ZRANGE', names(ARGV[1], ARGV[2]), 0, page - 1)) do out[#out + 1] = user end
end
return out
