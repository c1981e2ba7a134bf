-- Shared by every Lockstep permit script; prepended to each one when it is loaded.
--
-- One primitive (a lock is a bounded semaphore of one permit) is six keys under one hash tag:
--   m  HASH  kind, permits, bounded, avail (free permits), seq (ticket counter), fence (last token),
--            v (version: one more per call, so an instance keeps the newest of the states it hears)
--   q  ZSET  waiters: wid -> ticket (FIFO order, O(log n) removal)
--   h  ZSET  holders: wid -> fencing token
--   o  ZSET  ownership index, all scores 0: '<inst>|q|<wid>' and '<inst>|h|<wid>'
--   l  ZSET  instance leases: inst -> deadline (server time, ms)
--   d  ZSET  tombstones of finished wids: wid -> time * 8 + how it finished
-- A wid is '<inst>:<n>'; a grant is published to '<inbox prefix><inst>' as
-- '<wid> <fence> <avail> <queued> <held> <v>'. fence and v start at the server time in
-- microseconds when m is created, so both keep growing across a restart that lost the data.
-- Every script reads the server clock once and first reaps instances whose lease ran out.

local RELEASED, CANCELLED, PASSED_ON, REAPED, RETIRED = 1, 2, 3, 4, 5
local REAP_INSTANCES, REAP_ENTRIES = 8, 256

local function clock()
  local t = redis.call('TIME')
  local s, us = tonumber(t[1]), tonumber(t[2])
  return s * 1000 + math.floor(us / 1000), s * 1000000 + us
end

local function keys(base)
  return { m = KEYS[base + 1], q = KEYS[base + 2], h = KEYS[base + 3], o = KEYS[base + 4],
           l = KEYS[base + 5], d = KEYS[base + 6] }
end

local function inst_of(wid)
  return string.match(wid, '^[^:]+')
end

-- Creates the primitive on first use, and counts the call in its version; returns an error text
-- (and changes nothing) if it exists with another shape.
local function init(k, kind, permits, bounded, now_us)
  local m = redis.call('HMGET', k.m, 'kind', 'permits', 'bounded')
  if not m[1] then
    local seed = string.format('%.0f', now_us)
    redis.call('HSET', k.m, 'kind', kind, 'permits', permits, 'bounded', bounded, 'avail', permits,
      'seq', 0, 'fence', seed, 'v', seed)
    return nil
  end
  if m[1] ~= kind or m[2] ~= permits or m[3] ~= bounded then
    return 'LOCKSTEP_MISMATCH ' .. m[1] .. ' ' .. m[2] .. ' ' .. m[3]
  end
  redis.call('HINCRBY', k.m, 'v', 1)
  return nil
end

local function tomb(k, wid, now, how)
  redis.call('ZADD', k.d, string.format('%.0f', now * 8 + how), wid)
end

-- How a finished wid finished, or nil if it is not (or no longer) remembered.
local function tombstone(k, wid)
  local s = redis.call('ZSCORE', k.d, wid)
  if s then
    return tonumber(s) % 8
  end
  return nil
end

-- Drops the tombstones the instance acknowledged (it has every reply about those wids, so no call
-- about them can come again) and those older than the retention.
local function forget_tombstones(k, now, retention, acks)
  for ack in string.gmatch(acks, '%S+') do
    redis.call('ZREM', k.d, ack)
  end
  redis.call('ZREMRANGEBYSCORE', k.d, '-inf', '(' .. string.format('%.0f', (now - retention) * 8))
end

-- The cluster-wide state every reply carries: free permits, queue length, holders, version.
local function state(k)
  local m = redis.call('HMGET', k.m, 'avail', 'v')
  return { tonumber(m[1] or '-1'), redis.call('ZCARD', k.q), redis.call('ZCARD', k.h), tonumber(m[2] or '0') }
end

local function reply(status, value, k)
  local s = state(k)
  return { status, value, s[1], s[2], s[3], s[4] }
end

-- Records the grant in h (and o) before announcing it; returns the fencing token. The permit
-- must already be taken off avail (or never have been on it).
local function grant(k, wid, inbox, publish)
  local fence = redis.call('HINCRBY', k.m, 'fence', 1)
  local inst = inst_of(wid)
  redis.call('ZADD', k.h, fence, wid)
  redis.call('ZREM', k.o, inst .. '|q|' .. wid)
  redis.call('ZADD', k.o, 0, inst .. '|h|' .. wid)
  if publish then
    local s = state(k)
    redis.call('PUBLISH', inbox .. inst, wid .. ' ' .. string.format('%.0f', fence) .. ' ' .. s[1] .. ' '
      .. s[2] .. ' ' .. s[3] .. ' ' .. string.format('%.0f', s[4]))
  end
  return fence
end

-- A permit came back: straight to the head waiter if there is one, else to the free count.
local function hand_off(k, inbox)
  local head = redis.call('ZPOPMIN', k.q)
  if head[1] then
    grant(k, head[1], inbox, true)
  else
    redis.call('HINCRBY', k.m, 'avail', 1)
  end
end

-- Grants free permits to head waiters (after reaping freed some).
local function drain(k, inbox)
  local avail = tonumber(redis.call('HGET', k.m, 'avail') or '0')
  while avail > 0 do
    local head = redis.call('ZPOPMIN', k.q)
    if not head[1] then
      break
    end
    avail = redis.call('HINCRBY', k.m, 'avail', -1)
    grant(k, head[1], inbox, true)
  end
end

-- Frees the holds and queue places of instances whose lease ran out, a bounded amount per call.
local function reap(k, now, inbox)
  local dead = redis.call('ZRANGEBYSCORE', k.l, '-inf', now, 'LIMIT', 0, REAP_INSTANCES)
  local freed = 0
  for _, inst in ipairs(dead) do
    local entries = redis.call('ZRANGEBYLEX', k.o, '[' .. inst .. '|', '[' .. inst .. '|\255', 'LIMIT', 0, REAP_ENTRIES)
    for _, e in ipairs(entries) do
      local kind, wid = string.sub(e, #inst + 2, #inst + 2), string.sub(e, #inst + 4)
      if kind == 'h' then
        if redis.call('ZREM', k.h, wid) == 1 then
          redis.call('HINCRBY', k.m, 'avail', 1)
          freed = freed + 1
        end
      else
        redis.call('ZREM', k.q, wid)
      end
      redis.call('ZREM', k.o, e)
      tomb(k, wid, now, REAPED)
    end
    if #entries < REAP_ENTRIES then
      redis.call('ZREM', k.l, inst)
    end
  end
  if freed > 0 then
    drain(k, inbox)
  end
end
