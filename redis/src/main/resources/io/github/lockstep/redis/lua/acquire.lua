-- ACQUIRE: KEYS = m q h o l d; ARGV = inst, lease ms, inbox prefix, retention ms, kind, permits,
-- bounded (0/1), acknowledged wids, wid, mode ('wait' or 'try').
-- Reply {status, fence or how it finished, avail, queued, held, version}; status 1 GRANTED,
-- 2 QUEUED, 3 BUSY (mode try), 4 FINISHED (a re-sent call for a wid already released or
-- cancelled). Idempotent: Lettuce re-sends a command whose reply a reconnect lost.
local k = keys(0)
local inst, lease, inbox = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local wid, mode = ARGV[9], ARGV[10]
local now, now_us = clock()
local p, shape = load(k, ARGV[5], ARGV[6], ARGV[7], now_us)
if not p then
  return redis.error_reply(shape)
end
forget(k, ARGV[8])

local finished = tombstone(k, wid)
if finished then
  return reply(4, finished, k, p)
end
local fence = redis.call('ZSCORE', k.h, wid)
if fence then
  return reply(1, tonumber(fence), k, p)
end

redis.call('ZADD', k.l, 'GT', int(now + lease), inst)
-- nobody barges past a queued waiter
if p.avail > 0 and redis.call('ZCARD', k.q) == 0 then
  p.avail = p.avail - 1
  return reply(1, grant(k, p, wid, inbox, false), k, p)
end
-- it would wait: a dead instance's holds must not be what it waits for
if reap(k, p, now, inbox) > 0 then
  -- reaping granted the head waiters, which may have been this one (a re-sent call)
  fence = redis.call('ZSCORE', k.h, wid)
  if fence then
    return reply(1, tonumber(fence), k, p)
  end
end
if redis.call('ZSCORE', k.q, wid) then
  return reply(2, 0, k, p)
end
if p.avail > 0 and redis.call('ZCARD', k.q) == 0 then
  p.avail = p.avail - 1
  return reply(1, grant(k, p, wid, inbox, false), k, p)
end
if mode == 'try' then
  return reply(3, 0, k, p)
end
p.seq = p.seq + 1
redis.call('ZADD', k.q, int(p.seq), wid)
redis.call('ZADD', k.o, 0, inst .. '|q|' .. wid)
return reply(2, 0, k, p)
