package io.github.lockstep.redis;

import java.util.Objects;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.PrimitiveFactory;
import io.lettuce.core.RedisClient;

/**
 * Creates locks and semaphores whose permits are shared by every instance of a service through
 * Redis: a {@code semaphore("payment-api", 5)} admits five callers across all instances that
 * create it, served in one FIFO queue. Events, conditions and barriers are cluster-wide too: a
 * {@code set()} on one instance wakes the waiters of all, a {@code signal(n)} wakes n waiters
 * wherever they wait, and a barrier's rounds fill with arrivals from every instance.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://localhost:6379");
 * RedisPrimitives redis = RedisPrimitives.create(client, RedisPrimitivesOptions.defaults());
 *
 * AsyncSemaphore payments = redis.semaphore("payment-api", 5);
 * payments.withPermit(() -> gateway.chargeAsync(card));
 * }</pre>
 *
 * <p>One {@code RedisPrimitives} is one instance of the cluster: it has an id of its own, two
 * connections from the client (commands, and a pub/sub connection on which its grants are
 * announced), one lease it renews for all its primitives, and one timer thread. Create one per
 * process and {@link #close()} it on shutdown: that withdraws its waits and passes its holds on,
 * where a crash would leave them to the lease. Primitives are created by name; asking twice for a
 * name gives the same primitive, and every instance must give a name the same definition (a
 * mismatch fails its acquisitions).
 *
 * <p>The lease: an instance that stops renewing (it died, was cut off from Redis, or paused for
 * longer than the lease) loses its holds and queue places within the lease, and the next waiters
 * are granted. Mutual exclusion is therefore as good as the lease: advisory, not a consensus
 * protocol. What must never be touched by two holders should check the
 * {@linkplain io.github.lockstep.Hold#fencingToken() fencing token} of the hold. A restart of
 * Redis without persistence forgets every hold; until the instances notice (within one renewal
 * interval), it may admit more holders than permits, and it breaks the barrier waits and wakes
 * the condition waits it forgot.
 */
public final class RedisPrimitives implements PrimitiveFactory, AutoCloseable {

	private final RedisBackend backend;

	private RedisPrimitives(RedisBackend backend) {
		this.backend = backend;
	}

	/**
	 * Joins the cluster with the default options.
	 * @param client the application's Redis client
	 * @return the factory of this instance's Redis primitives
	 */
	public static RedisPrimitives create(RedisClient client) {
		return create(client, RedisPrimitivesOptions.defaults());
	}

	/**
	 * Joins the cluster: connects (once, here; if Redis is unreachable, in the background until it
	 * answers, while acquisitions fail with {@link RedisUnavailableException}) and starts renewing.
	 * @param client the application's Redis client; its connections' timeout is the command
	 * timeout after which calls fail
	 * @param options the key prefix and lease
	 * @return the factory of this instance's Redis primitives
	 */
	public static RedisPrimitives create(RedisClient client, RedisPrimitivesOptions options) {
		Objects.requireNonNull(client, "client");
		Objects.requireNonNull(options, "options");
		RedisBackend backend = new RedisBackend(client, options);
		backend.start();
		return new RedisPrimitives(backend);
	}

	/**
	 * Returns {@code "redis"}.
	 * @return the backend's id
	 */
	@Override
	public String backend() {
		return "redis";
	}

	/**
	 * Returns the cluster-wide lock of that name.
	 * @param name the name, shared by every instance
	 * @return the lock
	 */
	@Override
	public AsyncLock lock(String name) {
		return new RedisLock(this.backend.permits("Lock", name, 1, true));
	}

	/**
	 * Returns the cluster-wide semaphore of that name, which may be released above its permits.
	 * @param name the name, shared by every instance
	 * @param permits the number of permits, the same on every instance
	 * @return the semaphore
	 */
	public AsyncSemaphore semaphore(String name, int permits) {
		return new RedisSemaphore(this.backend.permits("Semaphore", name, permits, false));
	}

	/**
	 * Returns the cluster-wide bounded semaphore of that name, which refuses to be released above
	 * its permits.
	 * @param name the name, shared by every instance
	 * @param permits the number of permits, the same on every instance
	 * @return the semaphore
	 */
	public AsyncSemaphore bounded(String name, int permits) {
		return new RedisSemaphore(this.backend.permits("Semaphore", name, permits, true));
	}

	/**
	 * Returns the cluster-wide semaphore of that name.
	 * @param name the name, shared by every instance
	 * @param permits the number of permits, the same on every instance
	 * @param bounded whether it refuses releases above {@code permits}, the same on every instance
	 * @return the semaphore
	 */
	@Override
	public AsyncSemaphore semaphore(String name, int permits, boolean bounded) {
		return bounded ? bounded(name, permits) : semaphore(name, permits);
	}

	/**
	 * Returns the cluster-wide event of that name: a {@code set()} on any instance wakes every
	 * instance's waiters, also those a {@code clear()} right after would have caught.
	 * @param name the name, shared by every instance
	 * @return the event
	 */
	@Override
	public AsyncEvent event(String name) {
		return this.backend.syncs.event(name);
	}

	/**
	 * Returns the cluster-wide condition of that name over a lock of its own, the cluster-wide lock of
	 * the same name: a {@code signal(n)} on any instance wakes n waiters, on any instance, in the order
	 * they started waiting.
	 * @param name the name, shared by every instance
	 * @return the condition
	 */
	@Override
	public AsyncCondition condition(String name) {
		return this.backend.syncs.condition(name, null);
	}

	/**
	 * Returns the cluster-wide condition of that name over a lock of these primitives.
	 * @param name the name, shared by every instance
	 * @param lock a lock this {@code RedisPrimitives} created
	 * @return the condition
	 * @throws IllegalArgumentException if the lock is not one of these primitives
	 */
	@Override
	public AsyncCondition condition(String name, AsyncLock lock) {
		if (lock == null) {
			throw new IllegalArgumentException("Condition '" + name + "': lock must not be null");
		}
		return this.backend.syncs.condition(name, lock);
	}

	/**
	 * Returns the cluster-wide barrier of that name: its rounds fill with arrivals from every
	 * instance, and a party whose instance dies breaks the round instead of hanging it.
	 * @param name the name, shared by every instance
	 * @param parties how many arrivals a round needs, the same on every instance
	 * @return the barrier
	 */
	@Override
	public AsyncBarrier barrier(String name, int parties) {
		return this.backend.syncs.barrier(name, parties);
	}

	/**
	 * Returns how many holds of this instance lost their lease since it started (found by a
	 * renewal or reported by a release): each one was a hold that another caller may have been
	 * granted while it was still in use.
	 * @return the count
	 */
	public long lostLeases() {
		return this.backend.lostLeases();
	}

	/**
	 * Returns whether this instance's two connections to Redis are up now, rather than connecting
	 * or reconnecting: while they are not, acquisitions fail with {@link RedisUnavailableException}.
	 * No round trip: it reads the connections' state, for health checks.
	 * @return whether connected (false once closed)
	 */
	public boolean isConnected() {
		return !this.backend.isClosed() && this.backend.link.isConnected();
	}

	/**
	 * Returns this instance's id, as it appears in Redis (queue and holder entries, inbox channel).
	 * @return the id
	 */
	public String instanceId() {
		return this.backend.instance;
	}

	/**
	 * Leaves the cluster: fails this instance's waits, withdraws its queue places and passes its
	 * holds on, then closes its connections (not the client).
	 */
	@Override
	public void close() {
		this.backend.close();
	}

	RedisBackend engine() {
		return this.backend;
	}

}
