package io.github.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;

/** {@link AsyncSemaphore} over Redis. */
final class RedisSemaphore implements AsyncSemaphore, Instrumented {

	private final RedisPermits permits;

	RedisSemaphore(RedisPermits permits) {
		this.permits = permits;
	}

	@Override
	public String name() {
		return this.permits.name;
	}

	@Override
	public CompletableFuture<Void> acquire() {
		return this.permits.acquire(null, false);
	}

	@Override
	public CompletableFuture<Void> acquire(Duration timeout) {
		return Permits.acquire(this.permits, timeout);
	}

	/** Asks Redis: one round trip, waited for here (refused on a thread that reads Redis's replies). */
	@Override
	public boolean tryAcquire() {
		return this.permits.await(tryAcquireAsync());
	}

	CompletableFuture<Boolean> tryAcquireAsync() {
		return Permits.tryAcquire(this.permits);
	}

	/**
	 * Sends the release and returns; a hold this instance knows it lost fails here with
	 * {@link LeaseLostException}. A release without a hold asks Redis, waiting for its answer.
	 */
	@Override
	public void release() {
		this.permits.release();
	}

	CompletableFuture<Void> releaseAsync() {
		return this.permits.releaseAsync();
	}

	/** From the last reply of Redis: no round trip. */
	@Override
	public boolean isLocked() {
		Snapshot snapshot = this.permits.snapshot();
		return Permits.available(this.permits) == 0 || snapshot.queued() > 0;
	}

	/** From the last reply of Redis: no round trip. */
	@Override
	public int availablePermits() {
		return Permits.available(this.permits);
	}

	@Override
	public boolean isBounded() {
		return this.permits.bounded;
	}

	/** From the last reply of Redis: no round trip. */
	@Override
	public int queueLength() {
		return this.permits.snapshot().queued();
	}

	@Override
	public PrimitiveProbe probe() {
		return this.permits.probe();
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.permits.probe(probe);
	}

	RedisPermits permits() {
		return this.permits;
	}

	@Override
	public String toString() {
		return Permits.describe(this.permits, isLocked());
	}

}
