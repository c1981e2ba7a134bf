-- EVENT SET: KEYS = e e:i e:t; ARGV = inst, inbox prefix, retention ms, call id, name.
-- If clear: sets it, counts a generation, and announces it to every interested instance but the
-- caller. Reply {set, gen, v}. A re-sent call (same id) does nothing.
local e, i, t = KEYS[1], KEYS[2], KEYS[3]
local now, now_us = clock()
local s = event_state(e, now_us)
trim(t, nil, now, tonumber(ARGV[3]))
if not ran(t, ARGV[4], now) and s[1] == 0 then
  redis.call('HSET', e, 'set', 1)
  local gen = redis.call('HINCRBY', e, 'gen', 1)
  local v = redis.call('HINCRBY', e, 'v', 1)
  s = { 1, gen, v }
  event_announce(i, now, ARGV[1], ARGV[2], '!e ' .. fmt(gen) .. ' ' .. fmt(v) .. ' ' .. ARGV[5])
end
return s
