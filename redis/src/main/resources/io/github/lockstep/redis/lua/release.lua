-- RELEASE: KEYS = m q h o l d; ARGV = inst, lease ms, inbox prefix, retention ms, kind, permits,
-- bounded (0/1), acknowledged wids, wid ('' to release without a hold of this instance, as
-- asyncio allows).
-- Reply {status, detail, avail, queued, held, version}; status 1 RELEASED, 2 LOST (detail: how
-- the hold ended: 4 reaped after its lease ran out, 5 retired by another release, 0 unknown),
-- 3 NOT_HELD (a release without a hold when none is outstanding: a lock not acquired, a bounded
-- semaphore released too many times).
-- The released permit goes straight to the head waiter, recorded in h before it is announced.
local k = keys(0)
local inbox = ARGV[3]
local bounded, wid = ARGV[7], ARGV[9]
local now, now_us = clock()
local p, shape = load(k, ARGV[5], ARGV[6], bounded, now_us)
if not p then
  return redis.error_reply(shape)
end
forget(k, ARGV[8])

if wid ~= '' then
  if redis.call('ZREM', k.h, wid) == 0 then
    local finished = tombstone(k, wid)
    if finished == RELEASED then
      return reply(1, 0, k, p)
    end
    return reply(2, finished or 0, k, p)
  end
  redis.call('ZREM', k.o, inst_of(wid) .. '|h|' .. wid)
  tomb(k, wid, now, RELEASED)
  p.cause = wid
elseif bounded == '1' then
  -- asyncio's bounded semaphore has no owners: the oldest hold is the one given back
  local oldest = redis.call('ZPOPMIN', k.h)
  if not oldest[1] then
    return reply(3, 0, k, p)
  end
  redis.call('ZREM', k.o, inst_of(oldest[1]) .. '|h|' .. oldest[1])
  tomb(k, oldest[1], now, RETIRED)
end
hand_off(k, p, inbox)
return reply(1, 0, k, p)
