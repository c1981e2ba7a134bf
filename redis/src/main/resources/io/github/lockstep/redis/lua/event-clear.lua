-- EVENT CLEAR: KEYS = e e:i e:t; ARGV = inst, inbox prefix, retention ms, call id, name.
-- If set: clears it and announces it, as a set is, to every interested instance but the caller,
-- so that their view of the flag does not wait for their next renewal. The generation stays: the
-- waiters a set woke stay woken. Reply {set, gen, v}. A re-sent call (same id) does nothing.
local e, i, t = KEYS[1], KEYS[2], KEYS[3]
local now, now_us = clock()
local s = event_state(e, now_us)
trim(t, nil, now, tonumber(ARGV[3]))
if not ran(t, ARGV[4], now) and s[1] == 1 then
  redis.call('HSET', e, 'set', 0)
  s = { 0, s[2], redis.call('HINCRBY', e, 'v', 1) }
  event_announce(i, now, ARGV[1], ARGV[2], '!x ' .. fmt(s[2]) .. ' ' .. fmt(s[3]) .. ' ' .. ARGV[5])
end
return s
