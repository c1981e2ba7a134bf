-- BARRIER ARRIVE: KEYS = b b:a b:r b:t b:l; ARGV = inst, lease ms, inbox prefix, retention ms,
-- parties, bwid, mode ('wait', or 'now' for a zero timeout).
-- Reply {status, code, v, broken, waiting, bwid, code, ...}: status 1 QUEUED, 2 ENDED with code:
--   >= 0 the arrival index (the round tripped)   -1 broken by abort or reset while waiting
--   -2 refused: the barrier is broken             -3 refused: a zero timeout and the round not full
--   -4 left (cancel, timeout)                     -5 broken: a party's instance lost its lease
--   -6 unknown to Redis (its data was lost, or the record expired)
-- followed by the ends of the caller's other arrivals this call decided. Indices are given out when
-- the round trips, in arrival order, the tripping arrival last (parties - 1).
-- Idempotent: a re-sent call finds the arrival queued, or its end recorded.
local k = barrier_keys(0)
local inst, lease, inbox, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local parties, bwid, mode = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local now, now_us = clock()
local bad = barrier_init(k, ARGV[5], now_us)
if bad then
  return redis.error_reply(bad)
end
trim(k.t, k.r, now, retention)
keep_alive(k.l, inst, now, lease)
reap(k, now, inbox, inst)

if redis.call('ZSCORE', k.a, bwid) then
  return barrier_reply(k, 1, 0)
end
local ended = redis.call('HGET', k.r, bwid)
if ended then
  return barrier_reply(k, 2, tonumber(ended))
end
if redis.call('HGET', k.b, 'broken') == '1' then
  record(k, bwid, -2, now)
  return barrier_reply(k, 2, -2)
end
if redis.call('ZCARD', k.a) + 1 < parties then
  if mode == 'now' then
    record(k, bwid, -3, now)
    return barrier_reply(k, 2, -3)
  end
  redis.call('ZADD', k.a, redis.call('HINCRBY', k.b, 'seq', 1), bwid)
  redis.call('ZADD', k.l, 'GT', fmt(now + lease), inst)
  redis.call('HINCRBY', k.b, 'v', 1)
  return barrier_reply(k, 1, 0)
end

-- the round trips
local ends = {}
for index, id in ipairs(redis.call('ZRANGE', k.a, 0, -1)) do
  ends[#ends + 1] = id
  ends[#ends + 1] = index - 1
end
redis.call('DEL', k.a)
redis.call('HINCRBY', k.b, 'gen', 1)
redis.call('HINCRBY', k.b, 'v', 1)
record(k, bwid, parties - 1, now)
settle(k, ends, now, inbox, inst)
return barrier_reply(k, 2, parties - 1)
