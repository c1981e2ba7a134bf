-- CONDITION LEAVE: a wait ends its part in the condition. KEYS = m w s o l t;
-- ARGV = inst, inbox prefix, retention ms, cwid, mode:
--   'cancel'   it leaves; if it had been signalled, the signal goes to the next waiter
--   'timeout'  it leaves if not signalled yet; if it was, it stays signalled (and then completes as such)
--   'done'     it holds the lock again after a signal: the signal is used
-- Reply {status, 0, waiting, cwid, ...}: status 0 it was waiting, 1 it was signalled, 2 unknown
-- (already gone); then the caller's own waits that a passed-on signal woke. Idempotent.
local k = cond_keys(0)
local inst, inbox, retention, id, mode = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local now = clock()
trim(k.t, nil, now, retention)
cond_reap(k, now, inbox, inst)
if redis.call('ZREM', k.w, id) == 1 then
  cond_forget(k, id, now)
  return cond_reply(k, 0, 0)
end
if redis.call('ZSCORE', k.s, id) then
  if mode ~= 'timeout' then
    redis.call('ZREM', k.s, id)
    cond_forget(k, id, now)
    if mode == 'cancel' then
      cond_signal(k, 1, now, inbox, inst)
    end
  end
  return cond_reply(k, 1, 0)
end
return cond_reply(k, 2, 0)
