-- EVENT RENEW: one call per renewal for all events of an instance (or a chunk of them).
-- KEYS = e e:i e:t of each event in turn; ARGV = inst, lease ms, then per event 1 if the instance
-- has waiters there (its interest is extended) or 0 (its interest is dropped).
-- Reply per event {set, gen, v}: a set whose announcement was lost shows as a higher gen.
local inst, lease = ARGV[1], tonumber(ARGV[2])
local now, now_us = clock()
local result = {}
for j = 0, #KEYS / 3 - 1 do
  local e, i = KEYS[j * 3 + 1], KEYS[j * 3 + 2]
  result[j + 1] = event_state(e, now_us)
  if ARGV[3 + j] == '1' then
    redis.call('ZADD', i, 'GT', fmt(now + lease), inst)
  else
    redis.call('ZREM', i, inst)
  end
end
return result
