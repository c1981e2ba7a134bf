package io.github.lockstep.redis;

/**
 * The Lua scripts of {@link RedisEvent}, {@link RedisBarrier} and {@link RedisCondition}, with {@code sync.lua} in front
 * (their key layout and shared functions); each file opens with a comment giving its keys,
 * arguments and reply.
 */
enum SyncScript implements LuaScript {

	/** A wait starts: register interest, read the event. */
	EVENT_WAIT("event-wait"),

	/** Set the event and announce it. */
	EVENT_SET("event-set"),

	/** Clear the event. */
	EVENT_CLEAR("event-clear"),

	/** Read many events and extend or drop this instance's interest in them. */
	EVENT_RENEW("event-renew"),

	/** Arrive at a barrier: wait, or trip the round. */
	BARRIER_ARRIVE("barrier-arrive"),

	/** Leave a barrier's round (cancel, timeout). */
	BARRIER_LEAVE("barrier-leave"),

	/** Abort or reset a barrier. */
	BARRIER_BREAK("barrier-break"),

	/** Extend this instance's lease in many barriers, reap the dead, report this instance's arrivals. */
	BARRIER_RENEW("barrier-renew"),

	/** A condition wait joins, before its lock is released. */
	CONDITION_WAIT("cond-wait"),

	/** Signal up to n condition waiters. */
	CONDITION_SIGNAL("cond-signal"),

	/** A condition wait leaves: cancelled, timed out, or done after its signal. */
	CONDITION_LEAVE("cond-leave"),

	/** Extend this instance's lease in many conditions, reap the dead, report lost signals. */
	CONDITION_RENEW("cond-renew");

	private final String text;

	private final String sha;

	SyncScript(String file) {
		this.text = Script.read("sync") + "\n" + Script.read(file);
		this.sha = Script.sha1(this.text);
	}

	@Override
	public String text() {
		return this.text;
	}

	@Override
	public String sha() {
		return this.sha;
	}

}
