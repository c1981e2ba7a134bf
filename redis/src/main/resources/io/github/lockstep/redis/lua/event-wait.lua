-- EVENT WAIT: a wait starts. KEYS = e e:i e:t; ARGV = inst, lease ms.
-- Registers the instance's interest (every set and clear is announced to it until then), as a
-- renewal does, and reads the event.
-- Reply {set, gen, v}. Idempotent.
local now, now_us = clock()
local s = event_state(KEYS[1], now_us)
redis.call('ZADD', KEYS[2], 'GT', fmt(now + tonumber(ARGV[2])), ARGV[1])
return s
