package io.github.lockstep.redis;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.WaitOutcome;

/**
 * The future of one {@link Acquisition}: a {@link WaitFuture} whose {@code cancel},
 * {@code completeExceptionally} and {@code orTimeout} withdraw the wait (in Redis too), or, if the
 * grant won the race, leave the future completed normally with the permit the caller's.
 */
final class RedisWaiter extends WaitFuture<Void> {

	private final Acquisition acquisition;

	RedisWaiter(Acquisition acquisition) {
		super(acquisition.owner.kind, acquisition.owner.name);
		this.acquisition = acquisition;
	}

	// --- the primitive's side

	Acquisition acquisition() {
		return this.acquisition;
	}

	void granted() {
		succeed(null);
	}

	void failed(Throwable failure) {
		fail(failure);
	}

	/** The timer of a timed acquire ran out. */
	void expire() {
		end(new AcquireTimeoutException(this.kind, this.name, this.acquisition.timeout));
	}

	/**
	 * Withdraws the wait, here and in Redis. Returns {@code false}, with the future completed
	 * normally, if the grant won the race: the caller then holds the permit.
	 */
	@Override
	boolean end(Throwable failure) {
		if (isDone()) {
			return false;
		}
		WaitOutcome outcome = (failure instanceof AcquireTimeoutException) ? WaitOutcome.TIMEOUT : WaitOutcome.CANCELLED;
		switch (this.acquisition.owner.withdraw(this.acquisition, outcome)) {
			case WITHDRAWN -> {
				// no grant can complete it any more: the wait left the states a grant applies to
				failed(failure);
				return true;
			}
			case GRANTED -> {
				granted();
				return false;
			}
			default -> {
				return false;
			}
		}
	}

}
