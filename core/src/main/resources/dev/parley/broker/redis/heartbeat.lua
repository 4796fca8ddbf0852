-- Renews the node (after now.lua).
-- ARGV: prefix, node, ttl ms. Returns {now, node, expiry, node, expiry, ...} of every node.
redis.call('ZADD', ARGV[1] .. ':nodes', now + tonumber(ARGV[3]), ARGV[2])
local out = {now}
local nodes = redis.call('ZRANGE', ARGV[1] .. ':nodes', 0, -1, 'WITHSCORES')
for i = 1, #nodes do out[#out + 1] = nodes[i] end
return out
