-- BARRIER RENEW: one call per renewal for all barriers of an instance (or a chunk of them).
-- KEYS = b b:a b:r b:t b:l of each barrier in turn; ARGV = inst, lease ms, inbox prefix,
-- retention ms, then per barrier: parties, 1 if the instance has arrivals there (its lease is
-- extended) else 0, n, and the n bwids the instance has queued there.
-- Reply per barrier {0, v, broken, waiting, bwid, code, ...} with the end of each asked bwid that is
-- no longer queued (-6 if Redis has no record of it) and of the caller's arrivals reaping ended,
-- or {1, mismatch text}.
local inst, lease, inbox, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local now, now_us = clock()
local result = {}
local at = 5
for j = 0, #KEYS / 5 - 1 do
  local k = barrier_keys(j * 5)
  local active, n = ARGV[at + 1], tonumber(ARGV[at + 2])
  local bad = barrier_init(k, ARGV[at], now_us)
  if bad then
    result[j + 1] = { 1, bad }
  else
    mine = {}
    trim(k.t, k.r, now, retention)
    if active == '1' then
      keep_alive(k.l, inst, now, lease)
    end
    reap(k, now, inbox, inst)
    local s = barrier_state(k)
    local entry = { 0, s[1], s[2], s[3] }
    for _, x in ipairs(mine) do
      entry[#entry + 1] = x
    end
    for q = 1, n do
      local id = ARGV[at + 2 + q]
      if not redis.call('ZSCORE', k.a, id) then
        entry[#entry + 1] = id
        entry[#entry + 1] = tonumber(redis.call('HGET', k.r, id) or '-6')
      end
    end
    result[j + 1] = entry
  end
  at = at + 3 + n
end
return result
