package io.github.lockstep.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisPrimitives} names its keys and how long its lease lasts. Immutable; every
 * {@code with…} method returns a copy.
 *
 * <pre>{@code
 * RedisPrimitivesOptions options = RedisPrimitivesOptions.defaults()
 *     .withKeyPrefix("orders")
 *     .withLease(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>The <b>lease</b> is how long Redis keeps an instance's holds and queue places after it last
 * heard from it. Each instance renews it every third of the lease, in one call for all its
 * primitives; an instance that dies, or is cut off from Redis, or pauses for longer than the
 * lease, loses its holds (the permits go to the next waiters) and its places in the queues. A
 * shorter lease frees a dead instance's permits sooner; a longer one tolerates longer pauses.
 */
public final class RedisPrimitivesOptions {

	private static final Duration SHORTEST_LEASE = Duration.ofMillis(100);

	private static final RedisPrimitivesOptions DEFAULTS = new RedisPrimitivesOptions("lockstep", Duration.ofSeconds(15));

	private final String keyPrefix;

	private final Duration lease;

	private RedisPrimitivesOptions(String keyPrefix, Duration lease) {
		this.keyPrefix = keyPrefix;
		this.lease = lease;
	}

	/**
	 * Returns the defaults: key prefix {@code lockstep}, lease 15 seconds.
	 * @return the default options
	 */
	public static RedisPrimitivesOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns a copy with another key prefix. A primitive named {@code n} keeps its state in keys
	 * {@code {<prefix>:n}:…}, all in one hash slot.
	 * @param keyPrefix the prefix: not empty, without braces or spaces
	 * @return the new options
	 * @throws IllegalArgumentException if the prefix is empty or has braces or whitespace
	 */
	public RedisPrimitivesOptions withKeyPrefix(String keyPrefix) {
		Objects.requireNonNull(keyPrefix, "keyPrefix");
		if (keyPrefix.isEmpty() || keyPrefix.chars().anyMatch((c) -> c == '{' || c == '}' || Character.isWhitespace(c))) {
			throw new IllegalArgumentException(
					"Redis key prefix must be non-empty, without braces or whitespace, but was '" + keyPrefix + "'");
		}
		return new RedisPrimitivesOptions(keyPrefix, this.lease);
	}

	/**
	 * Returns a copy with another lease.
	 * @param lease how long Redis keeps a silent instance's holds and places; at least 100 ms
	 * @return the new options
	 * @throws IllegalArgumentException if the lease is shorter than 100 ms
	 */
	public RedisPrimitivesOptions withLease(Duration lease) {
		Objects.requireNonNull(lease, "lease");
		if (lease.compareTo(SHORTEST_LEASE) < 0) {
			throw new IllegalArgumentException("Redis lease must be at least 100ms, but was " + lease);
		}
		return new RedisPrimitivesOptions(this.keyPrefix, lease);
	}

	/**
	 * Returns the key prefix.
	 * @return the prefix
	 */
	public String keyPrefix() {
		return this.keyPrefix;
	}

	/**
	 * Returns the lease.
	 * @return the lease
	 */
	public Duration lease() {
		return this.lease;
	}

	/**
	 * Returns how often an instance renews its lease: a third of it.
	 * @return the renewal interval
	 */
	public Duration renewalInterval() {
		return this.lease.dividedBy(3);
	}

	@Override
	public String toString() {
		return "RedisPrimitivesOptions[keyPrefix=" + this.keyPrefix + ", lease=" + this.lease + "]";
	}

}
