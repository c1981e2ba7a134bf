-- BARRIER BREAK: abort (the barrier stays broken) or reset (it is usable again); either breaks the
-- current round's arrivals (code -1).
-- KEYS = b b:a b:r b:t b:l; ARGV = inst, inbox prefix, retention ms, parties, call id, 'abort' or 'reset'.
-- Reply {0, 0, v, broken, waiting, bwid, code, ...} with the ends of the caller's arrivals.
-- A re-sent call (same id) does nothing.
local k = barrier_keys(0)
local inst, inbox, retention = ARGV[1], ARGV[2], tonumber(ARGV[3])
local now, now_us = clock()
local bad = barrier_init(k, ARGV[4], now_us)
if bad then
  return redis.error_reply(bad)
end
trim(k.t, k.r, now, retention)
reap(k, now, inbox, inst)
if not ran(k.t, ARGV[5], now) then
  if ARGV[6] == 'abort' then
    redis.call('HSET', k.b, 'broken', 1)
  else
    redis.call('HSET', k.b, 'broken', 0)
    redis.call('HINCRBY', k.b, 'gen', 1)
  end
  redis.call('HINCRBY', k.b, 'v', 1)
  break_round(k, -1, now, inbox, inst)
end
return barrier_reply(k, 0, 0)
