-- CONDITION SIGNAL: wakes up to n waiters not yet signalled (n < 0: all), in FIFO order.
-- KEYS = m w s o l t; ARGV = inst, inbox prefix, retention ms, call id, n.
-- Reply {signalled, 0, waiting, cwid, ...} with the caller's own signalled waits (the others are
-- announced to their instances). A re-sent call (same id) does nothing.
local k = cond_keys(0)
local inst, inbox, retention, n = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5])
local now = clock()
trim(k.t, nil, now, retention)
cond_reap(k, now, inbox, inst)
local count = 0
if not ran(k.t, ARGV[4], now) then
  if n < 0 then
    n = redis.call('ZCARD', k.w)
  end
  count = cond_signal(k, n, now, inbox, inst)
end
return cond_reply(k, count, 0)
