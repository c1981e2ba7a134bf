package io.github.lockstep.redis;

import java.util.List;

/**
 * The cluster-wide state of a primitive as Redis last told this instance: every script's reply
 * and every grant announcement carries it, and every renewal refreshes it, so that queries and
 * gauges cost no round trip.
 * @param available free permits, or {@code -1} before Redis first answered
 * @param queued waiters queued on every instance
 * @param held permits held on every instance
 * @param version the primitive's version in Redis, one more for every call: of two snapshots, the
 * one with the higher version is the newer
 */
record Snapshot(int available, int queued, int held, long version) {

	static final Snapshot UNKNOWN = new Snapshot(-1, 0, 0, Long.MIN_VALUE);

	/** Reads the four numbers that start at {@code offset} of a script's reply. */
	static Snapshot of(List<Object> reply, int offset) {
		return new Snapshot(toInt(reply.get(offset)), toInt(reply.get(offset + 1)), toInt(reply.get(offset + 2)),
				toLong(reply.get(offset + 3)));
	}

	static long toLong(Object value) {
		return (value instanceof Long number) ? number : Long.parseLong(String.valueOf(value));
	}

	static int toInt(Object value) {
		return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, toLong(value)));
	}

}
