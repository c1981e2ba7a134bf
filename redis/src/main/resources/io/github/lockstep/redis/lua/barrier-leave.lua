-- BARRIER LEAVE: an arrival gives up (cancel, timeout) without breaking the barrier.
-- KEYS = b b:a b:r b:t b:l; ARGV = inst, inbox prefix, retention ms, parties, bwid.
-- Reply as ARRIVE's, status 2, code -4 if it left (or had not arrived), or how it had ended if the
-- round tripped or broke first. Idempotent.
local k = barrier_keys(0)
local inst, inbox, retention, bwid = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[5]
local now, now_us = clock()
local bad = barrier_init(k, ARGV[4], now_us)
if bad then
  return redis.error_reply(bad)
end
trim(k.t, k.r, now, retention)
reap(k, now, inbox, inst)
if redis.call('ZREM', k.a, bwid) == 1 then
  record(k, bwid, -4, now)
  redis.call('HINCRBY', k.b, 'v', 1)
  return barrier_reply(k, 2, -4)
end
local ended = redis.call('HGET', k.r, bwid)
if not ended then
  -- not arrived yet: an arrival re-sent after this (a lost connection) finds it ended
  record(k, bwid, -4, now)
  return barrier_reply(k, 2, -4)
end
return barrier_reply(k, 2, tonumber(ended))
