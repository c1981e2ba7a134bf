-- CONDITION RENEW: one call per renewal for all conditions of an instance (or a chunk of them).
-- KEYS = m w s o l t of each condition in turn; ARGV = inst, lease ms, inbox prefix, retention ms,
-- then per condition: 1 if the instance has waits there (its lease is extended) else 0, n, and the
-- n cwids the instance has waiting, not signalled as far as it knows.
-- Reply per condition {waiting, cwid, status, ...}: status 1 signalled (an announcement was lost),
-- 2 unknown to Redis; then {cwid, 1} for the caller's waits that reaping's passed-on signals woke.
local inst, lease, inbox, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local now = clock()
local result = {}
local at = 5
for j = 0, #KEYS / 6 - 1 do
  local k = cond_keys(j * 6)
  local active, n = ARGV[at], tonumber(ARGV[at + 1])
  mine = {}
  trim(k.t, nil, now, retention)
  if active == '1' then
    keep_alive(k.l, inst, now, lease)
  end
  cond_reap(k, now, inbox, inst)
  local entry = { redis.call('ZCARD', k.w) }
  for q = 1, n do
    local id = ARGV[at + 1 + q]
    if not redis.call('ZSCORE', k.w, id) then
      entry[#entry + 1] = id
      entry[#entry + 1] = redis.call('ZSCORE', k.s, id) and 1 or 2
    end
  end
  for _, id in ipairs(mine) do
    entry[#entry + 1] = id
    entry[#entry + 1] = 1
  end
  result[j + 1] = entry
  at = at + 2 + n
end
return result
