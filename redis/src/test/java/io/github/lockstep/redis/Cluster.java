package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncSemaphore;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instances of a test: each a {@link RedisPrimitives} on a client of its own, as separate
 * processes would be, with a lease of 1 s unless told otherwise; closed after each test. Also gives every test its own
 * key prefix, so that tests never see each other's keys.
 *
 * <pre>{@code
 * @RegisterExtension
 * final Cluster cluster = new Cluster(redis);
 * }</pre>
 */
final class Cluster implements AfterEachCallback {

	static final Duration LEASE = Duration.ofSeconds(1);

	private static final AtomicInteger prefixes = new AtomicInteger();

	private final RedisServer redis;

	private final List<RedisPrimitives> instances = new ArrayList<>();

	private String prefix = "t" + prefixes.incrementAndGet();

	private final Duration lease;

	Cluster(RedisServer redis) {
		this(redis, LEASE);
	}

	/**
	 * Instances with another lease: the hammering tests take a longer one, so that a loaded
	 * machine that stalls a renewal for a second does not cost a hold they count on.
	 */
	Cluster(RedisServer redis, Duration lease) {
		this.redis = redis;
		this.lease = lease;
	}

	RedisPrimitivesOptions options() {
		return RedisPrimitivesOptions.defaults().withKeyPrefix(this.prefix).withLease(this.lease);
	}

	String prefix() {
		return this.prefix;
	}

	Duration lease() {
		return this.lease;
	}

	/** The test's first instance, created on first use: for tests that run on one instance. */
	RedisPrimitives first() {
		synchronized (this.instances) {
			return this.instances.isEmpty() ? instance() : this.instances.get(0);
		}
	}

	/** A new instance with its own client (command timeout 2 s). */
	RedisPrimitives instance() {
		return instance(Duration.ofSeconds(2));
	}

	RedisPrimitives instance(Duration commandTimeout) {
		RedisPrimitives instance = RedisPrimitives.create(this.redis.client(commandTimeout), options());
		synchronized (this.instances) {
			this.instances.add(instance);
		}
		return instance;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		synchronized (this.instances) {
			this.instances.forEach(RedisPrimitives::close);
			this.instances.clear();
		}
		this.prefix = "t" + prefixes.incrementAndGet();
	}

	/** The primitive's hash in Redis ({@code m}). */
	String field(String name, String field) {
		return this.redis.admin().hget(key(name, "m"), field);
	}

	/** Waits until Redis has {@code count} waiters queued on the primitive. */
	void awaitQueued(String name, int count) {
		await(() -> this.redis.admin().zcard(key(name, "q")) == count, Duration.ofSeconds(5),
				() -> count + " queued in Redis on '" + name + "'");
	}

	/**
	 * Waits until Redis has {@code count} queued on {@code name}, and {@code instance} has had the
	 * answers to every call it sent before (so its snapshot has them too).
	 */
	void awaitQueued(String name, int count, RedisPrimitives instance) {
		awaitQueued(name, count);
		roundTrip(instance);
	}

	String key(String name, String suffix) {
		return "{" + this.prefix + ":" + name + "}:" + suffix;
	}

	/**
	 * Checks what every scenario must end with once everything was released: all permits free,
	 * nobody queued or holding, the ownership index empty.
	 */
	void assertAllReturned(String name, int permits) {
		RedisCommands<String, String> admin = this.redis.admin();
		await(() -> String.valueOf(permits).equals(field(name, "avail")) && admin.zcard(key(name, "h")) == 0,
				Duration.ofSeconds(10), () -> "permits of '" + name + "' back: avail=" + field(name, "avail") + " h="
						+ admin.zrange(key(name, "h"), 0, -1) + " q=" + admin.zrange(key(name, "q"), 0, -1));
		assertThat(admin.zcard(key(name, "q"))).as("queued").isZero();
		assertThat(admin.zcard(key(name, "o"))).as("ownership index").isZero();
	}

	static RedisPermits permits(AsyncSemaphore semaphore) {
		return ((RedisSemaphore) semaphore).permits();
	}

	/**
	 * Returns once {@code instance} has had Redis's answer to every call it sent before, and acted
	 * on it: its calls share one connection, whose replies are read in order on one thread, so a
	 * wait with a zero timeout on an event nobody sets, sent now, fails only after all of them. The
	 * settle point before asserting that something did not happen.
	 */
	static void roundTrip(RedisPrimitives instance) {
		assertThat(instance.event("round-trip").await(Duration.ZERO)).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(AcquireTimeoutException.class);
	}

	/**
	 * Waits, at most {@code timeout}, for a condition that another process or Redis makes true;
	 * fails with the description otherwise.
	 */
	static void await(BooleanSupplier condition, Duration timeout, Supplier<String> description) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("not within " + timeout + ": " + description.get());
			}
			LockSupport.parkNanos(5_000_000);
		}
	}

}
