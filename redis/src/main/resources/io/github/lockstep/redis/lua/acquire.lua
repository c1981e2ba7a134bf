-- ACQUIRE: KEYS = m q h o l d; ARGV = inst, lease ms, inbox prefix, retention ms, kind, permits,
-- bounded (0/1), acknowledged wids, wid, mode ('wait' or 'try').
-- Reply {status, fence or how it finished, avail, queued, held, version}; status 1 GRANTED, 2 QUEUED,
-- 3 BUSY (mode try), 4 FINISHED (a retried call for a wid already released or cancelled).
-- Idempotent: Lettuce re-sends a command whose reply a reconnect lost.
local k = keys(0)
local inst, lease, inbox, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local wid, mode = ARGV[9], ARGV[10]
local now, now_us = clock()
local shape = init(k, ARGV[5], ARGV[6], ARGV[7], now_us)
if shape then
  return redis.error_reply(shape)
end
forget_tombstones(k, now, retention, ARGV[8])
reap(k, now, inbox)

local fence = redis.call('ZSCORE', k.h, wid)
if fence then
  return reply(1, tonumber(fence), k)
end
if redis.call('ZSCORE', k.q, wid) then
  return reply(2, 0, k)
end
local finished = tombstone(k, wid)
if finished then
  return reply(4, finished, k)
end

redis.call('ZADD', k.l, 'GT', string.format('%.0f', now + lease), inst)
local avail = tonumber(redis.call('HGET', k.m, 'avail'))
-- nobody barges past a queued waiter
if avail > 0 and redis.call('ZCARD', k.q) == 0 then
  redis.call('HSET', k.m, 'avail', avail - 1)
  return reply(1, grant(k, wid, inbox, false), k)
end
if mode == 'try' then
  return reply(3, 0, k)
end
local ticket = redis.call('HINCRBY', k.m, 'seq', 1)
redis.call('ZADD', k.q, ticket, wid)
redis.call('ZADD', k.o, 0, inst .. '|q|' .. wid)
return reply(2, 0, k)
