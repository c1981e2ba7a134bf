package io.github.lockstep.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.PrimitiveState;

/** {@link AsyncLock} over Redis: a bounded semaphore of one permit; see {@link PermitPrimitive}. */
final class RedisLock extends PermitPrimitive implements AsyncLock {

	RedisLock(RedisPermits permits) {
		super(permits);
	}

	/** From the latest snapshot: no round trip. */
	@Override
	public boolean isLocked() {
		Snapshot snapshot = this.permits.snapshot();
		return snapshot.held() > 0 || snapshot.queued() > 0 || available() == 0;
	}

	@Override
	public PrimitiveState state() {
		Snapshot snapshot = this.permits.snapshot();
		return PrimitiveState.lock(name(), snapshot.held() > 0 || snapshot.queued() > 0 || snapshot.available() == 0,
				snapshot.queued());
	}

	@Override
	public <T> CompletableFuture<T> withLock(Supplier<? extends CompletionStage<T>> action) {
		return runHolding(action);
	}

	@Override
	public String toString() {
		return describe(isLocked(), "");
	}

}
