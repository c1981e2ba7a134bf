-- RENEW: one call per instance per interval for all its primitives (or a chunk of them).
-- KEYS = m q h o l d of each primitive in turn; ARGV = inst, lease ms, inbox prefix, retention ms,
-- then per primitive: kind, permits, bounded (0/1), acknowledged wids (space separated).
-- Per primitive: reaps dead instances, drops old tombstones, extends this instance's lease.
-- Reply per primitive: {0, avail, queued, held, version, lease kept (0/1), queued places of this
-- instance, wid1, fence1, wid2, fence2, ...} with this instance's holds, or {1, mismatch text}.
local inst, lease, inbox, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local now, now_us = clock()
local result = {}
for i = 0, #KEYS / 6 - 1 do
  local k = keys(i * 6)
  local a = 5 + i * 4
  local p, shape = load(k, ARGV[a], ARGV[a + 1], ARGV[a + 2], now_us)
  if not p then
    result[i + 1] = { 1, shape }
  else
    forget(k, ARGV[a + 3])
    redis.call('ZREMRANGEBYSCORE', k.d, '-inf', '(' .. int((now - retention) * 8))
    reap(k, p, now, inbox)
    local kept = 0
    if redis.call('ZSCORE', k.l, inst) then
      redis.call('ZADD', k.l, 'XX', 'GT', int(now + lease), inst)
      kept = 1
    end
    save(k, p)
    local s = state(k, p)
    local entry = { 0, s[1], s[2], s[3], s[4], kept,
      redis.call('ZLEXCOUNT', k.o, '[' .. inst .. '|q|', '[' .. inst .. '|q|\255') }
    for _, e in ipairs(redis.call('ZRANGEBYLEX', k.o, '[' .. inst .. '|h|', '[' .. inst .. '|h|\255')) do
      local wid = string.sub(e, #inst + 4)
      entry[#entry + 1] = wid
      entry[#entry + 1] = tonumber(redis.call('ZSCORE', k.h, wid))
    end
    result[i + 1] = entry
  end
end
return result
