-- EVENT CLEAR: KEYS = e e:i e:t; ARGV = retention ms, call id.
-- Reply {set, gen, v}. A re-sent call (same id) does nothing.
local e, t = KEYS[1], KEYS[3]
local now, now_us = clock()
local s = event_state(e, now_us)
trim(t, nil, now, tonumber(ARGV[1]))
if not ran(t, ARGV[2], now) and s[1] == 1 then
  redis.call('HSET', e, 'set', 0)
  s = { 0, s[2], redis.call('HINCRBY', e, 'v', 1) }
end
return s
