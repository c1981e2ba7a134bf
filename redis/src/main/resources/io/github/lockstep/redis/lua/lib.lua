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
-- '<wid> <fence> <avail> <queued> <held> <v> <cause>', where cause is the wid whose release
-- handed the permit on, or '-'. fence and v start at the server time in
-- microseconds when m is created, so both keep growing across a restart that lost the data.
--
-- Every call to Redis from a script costs about as much as the command itself again, so a script
-- reads m once (load) and writes it once (save), and keeps its numbers in the table p meanwhile.
-- Dead instances are reaped by every renewal and by an acquisition that would have to wait;
-- old tombstones are dropped by renewals.

local RELEASED, CANCELLED, PASSED_ON, REAPED, RETIRED = 1, 2, 3, 4, 5
local REAP_INSTANCES, REAP_ENTRIES = 8, 256

local function clock()
  local t = redis.call('TIME')
  local s, us = tonumber(t[1]), tonumber(t[2])
  return s * 1000 + math.floor(us / 1000), s * 1000000 + us
end

local function int(n)
  return string.format('%.0f', n)
end

local function keys(base)
  return { m = KEYS[base + 1], q = KEYS[base + 2], h = KEYS[base + 3], o = KEYS[base + 4],
           l = KEYS[base + 5], d = KEYS[base + 6] }
end

local function inst_of(wid)
  return string.match(wid, '^[^:]+')
end

-- Reads the primitive (creating it on first use) and counts the call in its version. Returns the
-- state table, or nil and an error text if it exists with another shape.
local function load(k, kind, permits, bounded, now_us)
  local m = redis.call('HMGET', k.m, 'kind', 'permits', 'bounded', 'avail', 'seq', 'fence', 'v')
  if not m[1] then
    return { kind = kind, permits = permits, bounded = bounded, fresh = true,
             avail = tonumber(permits), seq = 0, fence = now_us, v = now_us }
  end
  if m[1] ~= kind or m[2] ~= permits or m[3] ~= bounded then
    return nil, 'LOCKSTEP_MISMATCH ' .. m[1] .. ' ' .. m[2] .. ' ' .. m[3]
  end
  return { avail = tonumber(m[4]), seq = tonumber(m[5]), fence = tonumber(m[6]), v = tonumber(m[7] or now_us) + 1 }
end

local function save(k, p)
  if p.fresh then
    redis.call('HSET', k.m, 'kind', p.kind, 'permits', p.permits, 'bounded', p.bounded, 'avail', int(p.avail),
      'seq', int(p.seq), 'fence', int(p.fence), 'v', int(p.v))
  else
    redis.call('HSET', k.m, 'avail', int(p.avail), 'seq', int(p.seq), 'fence', int(p.fence), 'v', int(p.v))
  end
end

local function tomb(k, wid, now, how)
  redis.call('ZADD', k.d, int(now * 8 + how), wid)
end

-- How a finished wid finished, or nil if it is not (or no longer) remembered.
local function tombstone(k, wid)
  local s = redis.call('ZSCORE', k.d, wid)
  if s then
    return tonumber(s) % 8
  end
  return nil
end

-- Drops the tombstones the instance acknowledged: it has every reply about those wids, so no
-- call about them can come again.
local function forget(k, acks)
  local wids = {}
  for ack in string.gmatch(acks, '%S+') do
    wids[#wids + 1] = ack
  end
  if #wids > 0 then
    redis.call('ZREM', k.d, unpack(wids))
  end
end

-- The cluster-wide state every reply carries: free permits, queue length, holders, version.
local function state(k, p)
  return { p.avail, redis.call('ZCARD', k.q), redis.call('ZCARD', k.h), p.v }
end

-- Saves p and returns the reply {status, value, avail, queued, held, version}.
local function reply(status, value, k, p)
  save(k, p)
  local s = state(k, p)
  return { status, value, s[1], s[2], s[3], s[4] }
end

-- Records the grant in h (and o) before announcing it; returns the fencing token. The permit
-- must already be off p.avail (or never have been on it).
local function grant(k, p, wid, inbox, was_queued)
  p.fence = p.fence + 1
  local inst = inst_of(wid)
  redis.call('ZADD', k.h, int(p.fence), wid)
  if was_queued then
    redis.call('ZREM', k.o, inst .. '|q|' .. wid)
  end
  redis.call('ZADD', k.o, 0, inst .. '|h|' .. wid)
  if was_queued then
    local s = state(k, p)
    redis.call('PUBLISH', inbox .. inst, wid .. ' ' .. int(p.fence) .. ' ' .. s[1] .. ' ' .. s[2] .. ' '
      .. s[3] .. ' ' .. int(s[4]) .. ' ' .. (p.cause or '-'))
  end
  return p.fence
end

-- A permit came back: straight to the head waiter if there is one, else to the free count.
local function hand_off(k, p, inbox)
  local head = redis.call('ZPOPMIN', k.q)
  if head[1] then
    grant(k, p, head[1], inbox, true)
  else
    p.avail = p.avail + 1
  end
end

-- Grants free permits to head waiters (after reaping freed some).
local function drain(k, p, inbox)
  while p.avail > 0 do
    local head = redis.call('ZPOPMIN', k.q)
    if not head[1] then
      break
    end
    p.avail = p.avail - 1
    grant(k, p, head[1], inbox, true)
  end
end

-- Frees the holds and queue places of instances whose lease ran out, a bounded amount per call;
-- returns how many holds it freed (and so granted on, if anyone waited).
local function reap(k, p, now, inbox)
  local dead = redis.call('ZRANGEBYSCORE', k.l, '-inf', now, 'LIMIT', 0, REAP_INSTANCES)
  local freed = 0
  for _, inst in ipairs(dead) do
    local entries = redis.call('ZRANGEBYLEX', k.o, '[' .. inst .. '|', '[' .. inst .. '|\255', 'LIMIT', 0, REAP_ENTRIES)
    for _, e in ipairs(entries) do
      local kind, wid = string.sub(e, #inst + 2, #inst + 2), string.sub(e, #inst + 4)
      if kind == 'h' then
        if redis.call('ZREM', k.h, wid) == 1 then
          p.avail = p.avail + 1
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
    drain(k, p, inbox)
  end
  return freed
end
