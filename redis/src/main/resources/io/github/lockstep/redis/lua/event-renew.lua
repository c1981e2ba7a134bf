-- EVENT RENEW: one call per renewal for all events of an instance (or a chunk of them), and one
-- for an event this instance has just created. KEYS = e e:i e:t of each event in turn;
-- ARGV = inst, lease ms. Extends the instance's interest in each (every set and clear is announced
-- to it meanwhile) and reads it.
-- Reply per event {set, gen, v}: a set whose announcement was lost shows as a higher gen.
local inst, lease = ARGV[1], tonumber(ARGV[2])
local now, now_us = clock()
local result = {}
for j = 0, #KEYS / 3 - 1 do
  local e, i = KEYS[j * 3 + 1], KEYS[j * 3 + 2]
  result[j + 1] = event_state(e, now_us)
  redis.call('ZADD', i, 'GT', fmt(now + lease), inst)
end
return result
