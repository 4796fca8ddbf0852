-- Included first by the scripts that need the time: now, in milliseconds, by Redis' own
-- clock (the nodes' clocks may differ; liveness is measured on this one).
local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)
