-- CANCEL: KEYS = m q h o l d; ARGV = inst, lease ms, inbox prefix, retention ms, kind, permits,
-- bounded (0/1), acknowledged wids, wid.
-- Reply {status, detail, avail, queued, held, version}; status 1 WITHDRAWN (left the queue),
-- 2 PASSED_ON (the grant had won the race: the permit went on to the next waiter), 3 GONE (not
-- queued or held: already finished, reaped, or never arrived; a later ACQUIRE of it is refused).
local k = keys(0)
local inbox = ARGV[3]
local wid = ARGV[9]
local now, now_us = clock()
local p, shape = load(k, ARGV[5], ARGV[6], ARGV[7], now_us)
if not p then
  return redis.error_reply(shape)
end
forget(k, ARGV[8])

local owner = inst_of(wid)
if redis.call('ZREM', k.q, wid) == 1 then
  redis.call('ZREM', k.o, owner .. '|q|' .. wid)
  tomb(k, wid, now, CANCELLED)
  return reply(1, 0, k, p)
end
if redis.call('ZREM', k.h, wid) == 1 then
  redis.call('ZREM', k.o, owner .. '|h|' .. wid)
  tomb(k, wid, now, PASSED_ON)
  hand_off(k, p, inbox)
  return reply(2, 0, k, p)
end
local finished = tombstone(k, wid)
if not finished then
  tomb(k, wid, now, CANCELLED)
end
return reply(3, finished or 0, k, p)
