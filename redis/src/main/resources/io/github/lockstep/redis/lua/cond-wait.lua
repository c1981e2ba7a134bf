-- CONDITION WAIT: a wait joins, before its lock is released (on the same connection, so no signal
-- can come between). KEYS = m w s o l t; ARGV = inst, lease ms, inbox prefix, retention ms, cwid.
-- Reply {0, 0, waiting}. Idempotent.
local k = cond_keys(0)
local inst, lease, inbox, retention, id = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5]
local now = clock()
trim(k.t, nil, now, retention)
keep_alive(k.l, inst, now, lease)
cond_reap(k, now, inbox, inst)
if not redis.call('ZSCORE', k.w, id) and not redis.call('ZSCORE', k.s, id) and not redis.call('ZSCORE', k.t, id) then
  redis.call('ZADD', k.w, redis.call('HINCRBY', k.m, 'seq', 1), id)
  redis.call('ZADD', k.o, 0, inst .. '|w|' .. id)
end
redis.call('ZADD', k.l, 'GT', fmt(now + lease), inst)
return cond_reply(k, 0, 0)
