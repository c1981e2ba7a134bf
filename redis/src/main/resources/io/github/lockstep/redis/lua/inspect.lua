-- INSPECT: what Redis holds for one instance in one primitive, when a renewal found its queue
-- places differ from what the instance expects (a place lost to an expired lease or a restart,
-- a withdrawal whose reply never came).
-- KEYS = m q h o l d; ARGV = inst, lease ms, inbox prefix, retention ms, kind, permits, bounded,
-- acknowledged wids.
-- Reply {avail, queued, held, version, {queued wids of this instance}, {wid1, fence1, ...}}.
local k = keys(0)
local inst, inbox = ARGV[1], ARGV[3]
local now, now_us = clock()
local p, shape = load(k, ARGV[5], ARGV[6], ARGV[7], now_us)
if not p then
  return redis.error_reply(shape)
end
forget(k, ARGV[8])
reap(k, p, now, inbox)
local queued, held = {}, {}
for _, e in ipairs(redis.call('ZRANGEBYLEX', k.o, '[' .. inst .. '|', '[' .. inst .. '|\255')) do
  local kind, wid = string.sub(e, #inst + 2, #inst + 2), string.sub(e, #inst + 4)
  if kind == 'q' then
    queued[#queued + 1] = wid
  else
    held[#held + 1] = wid
    held[#held + 1] = tonumber(redis.call('ZSCORE', k.h, wid))
  end
end
save(k, p)
local s = state(k, p)
return { s[1], s[2], s[3], s[4], queued, held }
