package io.github.lockstep.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.PrimitiveState;

/** {@link AsyncSemaphore} over Redis; see {@link PermitPrimitive}. */
final class RedisSemaphore extends PermitPrimitive implements AsyncSemaphore {

	RedisSemaphore(RedisPermits permits) {
		super(permits);
	}

	/** From the latest snapshot: no round trip. */
	@Override
	public boolean isLocked() {
		return available() == 0 || this.permits.snapshot().queued() > 0;
	}

	/** From the latest snapshot: no round trip. */
	@Override
	public int availablePermits() {
		return available();
	}

	@Override
	public boolean isBounded() {
		return this.permits.bounded;
	}

	@Override
	public PrimitiveState state() {
		Snapshot snapshot = this.permits.snapshot();
		int available = (snapshot.available() < 0) ? this.permits.permits : snapshot.available();
		return PrimitiveState.semaphore(name(), this.permits.permits, this.permits.bounded, available, snapshot.queued());
	}

	@Override
	public <T> CompletableFuture<T> withPermit(Supplier<? extends CompletionStage<T>> action) {
		return runHolding(action);
	}

	@Override
	public String toString() {
		boolean locked = isLocked();
		return describe(locked, locked ? "" : ", value:" + available());
	}

}
