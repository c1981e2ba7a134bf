-- Shared by the event and barrier scripts (the permit scripts have lib.lua); prepended to each one
-- when it is loaded.
--
-- An event is three keys under the hash tag {<prefix>:<name>}:
--   e    HASH  set (0/1), gen (one more per set that found it clear), v (version: one more per change)
--   e:i  ZSET  interested instances (those that have the event): inst -> until when (server time, ms)
--   e:t  ZSET  ids of finished set/clear calls -> when (a re-sent call does nothing)
-- A barrier is five:
--   b    HASH  parties, broken (0/1), gen (one more per round), seq (arrival counter), v (version)
--   b:a  ZSET  arrivals of the current round: bwid -> seq (arrival order)
--   b:r  HASH  how an arrival ended: bwid -> index (>= 0) or a negative code (see barrier-arrive.lua)
--   b:t  ZSET  bwids in b:r, and ids of finished abort/reset calls -> when
--   b:l  ZSET  leases of the instances with arrivals: inst -> deadline (server time, ms)
-- Ids are '<inst>:<n>'. gen and v start at the server time in microseconds when the hash is
-- created, so both keep growing across a restart of Redis that lost the data.
-- Messages go to the instance's inbox '<inbox prefix><inst>' and start with '!':
--   '!e <gen> <v> <name>'                                         the event was set
--   '!x <gen> <v> <name>'                                         the event was cleared
--   '!b <v> <broken> <waiting> <bwid>:<index or code> ...'        arrivals of that instance ended

local function fmt(n)
  return string.format('%.0f', n)
end

local function clock()
  local t = redis.call('TIME')
  local s, us = tonumber(t[1]), tonumber(t[2])
  return s * 1000 + math.floor(us / 1000), s * 1000000 + us
end

local function inst_of(id)
  return string.match(id, '^[^:]+')
end

-- Drops what is older than the retention from t (and, given r, their entries there), a bounded
-- amount per call.
local function trim(t, r, now, retention)
  local old = redis.call('ZRANGEBYSCORE', t, '-inf', '(' .. fmt(now - retention), 'LIMIT', 0, 256)
  if #old > 0 then
    if r then
      redis.call('HDEL', r, unpack(old))
    end
    redis.call('ZREM', t, unpack(old))
  end
end

-- The calling instance is alive: the lease it has in l is extended before anything is reaped, so a
-- renewal that came late but before anyone else noticed costs nothing.
local function keep_alive(l, inst, now, lease)
  redis.call('ZADD', l, 'XX', 'GT', fmt(now + lease), inst)
end

-- Whether a call with this id already ran; records it if not.
local function ran(t, op, now)
  if redis.call('ZSCORE', t, op) then
    return true
  end
  redis.call('ZADD', t, fmt(now), op)
  return false
end

-- --- events

-- The event's {set, gen, v}, creating it (clear) on first use.
local function event_state(e, now_us)
  local s = redis.call('HMGET', e, 'set', 'gen', 'v')
  if not s[1] then
    local seed = fmt(now_us)
    redis.call('HSET', e, 'set', 0, 'gen', seed, 'v', seed)
    return { 0, now_us, now_us }
  end
  return { tonumber(s[1]), tonumber(s[2]), tonumber(s[3]) }
end

-- Publishes an event's message to every instance still interested in it but the caller.
local function event_announce(i, now, caller, inbox, message)
  redis.call('ZREMRANGEBYSCORE', i, '-inf', now)
  for _, inst in ipairs(redis.call('ZRANGE', i, 0, -1)) do
    if inst ~= caller then
      redis.call('PUBLISH', inbox .. inst, message)
    end
  end
end

-- --- barriers

local function barrier_keys(base)
  return { b = KEYS[base + 1], a = KEYS[base + 2], r = KEYS[base + 3], t = KEYS[base + 4], l = KEYS[base + 5] }
end

-- Creates the barrier on first use; returns an error text (and changes nothing) if it exists with
-- another number of parties.
local function barrier_init(k, parties, now_us)
  local p = redis.call('HGET', k.b, 'parties')
  if not p then
    local seed = fmt(now_us)
    redis.call('HSET', k.b, 'parties', parties, 'broken', 0, 'gen', seed, 'seq', 0, 'v', seed)
    return nil
  end
  if p ~= parties then
    return 'LOCKSTEP_MISMATCH ' .. p
  end
  return nil
end

local function barrier_state(k)
  local s = redis.call('HMGET', k.b, 'v', 'broken')
  return { tonumber(s[1]), tonumber(s[2]), redis.call('ZCARD', k.a) }
end

-- Ends of the calling instance's arrivals that a script decided, for its reply: {bwid, code, ...}.
local mine = {}

local function record(k, id, code, now)
  redis.call('HSET', k.r, id, code)
  redis.call('ZADD', k.t, fmt(now), id)
end

-- Records how each arrival of {bwid, code, ...} ended and tells every instance but the caller
-- about its own (one message each); the caller's go to mine. Call after the last change.
local function settle(k, ends, now, inbox, caller)
  local order, lists = {}, {}
  for j = 1, #ends, 2 do
    local id, code = ends[j], ends[j + 1]
    record(k, id, code, now)
    local inst = inst_of(id)
    if inst == caller then
      mine[#mine + 1] = id
      mine[#mine + 1] = code
    else
      if not lists[inst] then
        lists[inst] = {}
        order[#order + 1] = inst
      end
      local list = lists[inst]
      list[#list + 1] = id .. ':' .. code
    end
  end
  if #order > 0 then
    local s = barrier_state(k)
    local head = '!b ' .. fmt(s[1]) .. ' ' .. s[2] .. ' ' .. s[3] .. ' '
    for _, inst in ipairs(order) do
      redis.call('PUBLISH', inbox .. inst, head .. table.concat(lists[inst], ' '))
    end
  end
end

-- Ends every arrival of the round with code (the round is empty afterwards).
local function break_round(k, code, now, inbox, caller)
  local ends = {}
  for _, id in ipairs(redis.call('ZRANGE', k.a, 0, -1)) do
    ends[#ends + 1] = id
    ends[#ends + 1] = code
  end
  redis.call('DEL', k.a)
  settle(k, ends, now, inbox, caller)
end

-- An instance whose lease ran out while it had an arrival breaks the barrier: its party will never
-- come, so the round would hang. Code -5 for the round's arrivals.
local function reap(k, now, inbox, caller)
  local dead = redis.call('ZRANGEBYSCORE', k.l, '-inf', now, 'LIMIT', 0, 8)
  if #dead == 0 then
    return
  end
  local gone = {}
  for _, inst in ipairs(dead) do
    gone[inst] = true
    redis.call('ZREM', k.l, inst)
  end
  for _, id in ipairs(redis.call('ZRANGE', k.a, 0, -1)) do
    if gone[inst_of(id)] then
      redis.call('HSET', k.b, 'broken', 1)
      redis.call('HINCRBY', k.b, 'v', 1)
      break_round(k, -5, now, inbox, caller)
      return
    end
  end
end

-- {status, value, v, broken, waiting, bwid, code, ...} with the caller's ends.
local function barrier_reply(k, status, value)
  local s = barrier_state(k)
  local out = { status, value, s[1], s[2], s[3] }
  for _, x in ipairs(mine) do
    out[#out + 1] = x
  end
  return out
end

-- --- conditions
-- A condition lives in its lock's hash tag, {<prefix>:<lock name>}, as six keys 'c:<name>:…':
--   m  HASH  seq (ticket counter)
--   w  ZSET  waiters not yet signalled: cwid -> ticket (FIFO)
--   s  ZSET  signalled waiters re-acquiring the lock: cwid -> when
--   o  ZSET  ownership index, all scores 0: '<inst>|w|<cwid>' and '<inst>|s|<cwid>'
--   l  ZSET  leases of the instances with waiters: inst -> deadline (server time, ms)
--   t  ZSET  finished cwids and ids of finished signal calls -> when (re-sent calls do nothing)
-- A signal is announced to the waiter's instance as '!c <cwid> <cwid> ...'.

local function cond_keys(base)
  return { m = KEYS[base + 1], w = KEYS[base + 2], s = KEYS[base + 3], o = KEYS[base + 4], l = KEYS[base + 5],
           t = KEYS[base + 6] }
end

-- Signals up to n waiters in FIFO order; the caller's go to mine. Returns how many.
local function cond_signal(k, n, now, inbox, caller)
  if n <= 0 then
    return 0
  end
  local popped = redis.call('ZPOPMIN', k.w, n)
  local order, lists = {}, {}
  for j = 1, #popped, 2 do
    local id = popped[j]
    local inst = inst_of(id)
    redis.call('ZADD', k.s, fmt(now), id)
    redis.call('ZREM', k.o, inst .. '|w|' .. id)
    redis.call('ZADD', k.o, 0, inst .. '|s|' .. id)
    if inst == caller then
      mine[#mine + 1] = id
    else
      if not lists[inst] then
        lists[inst] = {}
        order[#order + 1] = inst
      end
      local list = lists[inst]
      list[#list + 1] = id
    end
  end
  for _, inst in ipairs(order) do
    redis.call('PUBLISH', inbox .. inst, '!c ' .. table.concat(lists[inst], ' '))
  end
  return #popped / 2
end

-- The waits of instances whose lease ran out leave; each signal one of them had not used yet is
-- passed on to the next waiter, so a dead waiter cannot absorb a signal.
local function cond_reap(k, now, inbox, caller)
  local dead = redis.call('ZRANGEBYSCORE', k.l, '-inf', now, 'LIMIT', 0, 8)
  local unused = 0
  for _, inst in ipairs(dead) do
    local entries = redis.call('ZRANGEBYLEX', k.o, '[' .. inst .. '|', '[' .. inst .. '|\255', 'LIMIT', 0, 256)
    for _, e in ipairs(entries) do
      local kind, id = string.sub(e, #inst + 2, #inst + 2), string.sub(e, #inst + 4)
      if kind == 'w' then
        redis.call('ZREM', k.w, id)
      elseif redis.call('ZREM', k.s, id) == 1 then
        unused = unused + 1
      end
      redis.call('ZREM', k.o, e)
      redis.call('ZADD', k.t, fmt(now), id)
    end
    if #entries < 256 then
      redis.call('ZREM', k.l, inst)
    end
  end
  cond_signal(k, unused, now, inbox, caller)
end

-- Forgets a wait: it is no longer waiting nor signalled.
local function cond_forget(k, id, now)
  local inst = inst_of(id)
  redis.call('ZREM', k.o, inst .. '|w|' .. id, inst .. '|s|' .. id)
  redis.call('ZADD', k.t, fmt(now), id)
end

-- {a, b, waiting, cwid, ...} with the caller's signalled waits.
local function cond_reply(k, a, b)
  local out = { a, b, redis.call('ZCARD', k.w) }
  for _, x in ipairs(mine) do
    out[#out + 1] = x
  end
  return out
end
