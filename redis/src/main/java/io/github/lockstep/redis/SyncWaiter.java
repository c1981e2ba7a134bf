package io.github.lockstep.redis;

import java.time.Duration;
import java.util.function.Predicate;

import io.github.lockstep.AcquireTimeoutException;

/**
 * The future of an event wait or a barrier arrival: a {@link WaitFuture} that gives the wait up by
 * the {@code leave} its primitive set, which refuses once the primitive has decided it.
 */
final class SyncWaiter<T> extends WaitFuture<T> {

	/** Gives the wait up if it is still waiting; returns whether it did. */
	private volatile Predicate<Throwable> leave = (failure) -> false;

	SyncWaiter(String kind, String name) {
		super(kind, name);
	}

	void leaveBy(Predicate<Throwable> leave) {
		this.leave = leave;
	}

	/** Ends the wait with {@code failure} if the primitive agrees that it is still waiting. */
	@Override
	boolean end(Throwable failure) {
		if (isDone() || !this.leave.test(failure)) {
			return false;
		}
		fail(failure);
		return true;
	}

	AcquireTimeoutException timeout(Duration after) {
		return new AcquireTimeoutException(this.kind, this.name, after);
	}

}
