-- A page of a room's names (after holders.lua).
-- ARGV: prefix, room, after (a name, or "" for the first), limit (-1: all).
-- Returns {count, names after "after" in order...}.
local set = names(ARGV[1], ARGV[2])
local out = {redis.call('HLEN', ARGV[1] .. ':members:' .. ARGV[2])}
local from = ARGV[3] == '' and '-' or ('(' .. ARGV[3])
local page
if tonumber(ARGV[4]) < 0 then page = redis.call('ZRANGEBYLEX', set, from, '+')
else page = redis.call('ZRANGEBYLEX', set, from, '+', 'LIMIT', 0, tonumber(ARGV[4])) end
for _, user in ipairs(page) do out[#out + 1] = user end
return out
