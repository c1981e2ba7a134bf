package io.github.lockstep;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AsyncBarrier} as a queue of the current round's arrivals.
 *
 * <p>Implementation notes. Arrival indices are handed out when the round trips, in queue order,
 * rather than on arrival as in CPython: a waiter that leaves early then leaves no gap or
 * duplicate (gh-155233), and the tripping arrival is always {@code parties - 1}. A round ends at
 * once when it trips, so there is no draining phase; reset and abort act on the waiters queued at
 * that moment, which are exactly the ones not yet released.
 */
final class InMemoryBarrier extends QueuedSync implements AsyncBarrier, Instrumented {

	private static final String ABORTED = "Barrier aborted";

	private static final String BROKEN_WHILE_WAITING = "Abort or reset of barrier";

	private final int parties;

	private final Settled<Integer> tripped;

	private volatile boolean broken;

	InMemoryBarrier(String name, int parties) {
		this(name, parties, TimeoutScheduler.shared());
	}

	InMemoryBarrier(String name, int parties, TimeoutScheduler scheduler) {
		super(PrimitiveKind.BARRIER, name, scheduler);
		if (parties < 1) {
			throw new IllegalArgumentException(
					"Barrier '" + name + "': parties must be >= 1, but was " + parties);
		}
		this.parties = parties;
		this.tripped = new Settled<>(parties - 1);
	}

	@Override
	public CompletableFuture<Integer> await() {
		return arrive(null, Long.MAX_VALUE);
	}

	@Override
	public CompletableFuture<Integer> await(Duration timeout) {
		return arrive(timeout, Timeouts.toNanos(timeout));
	}

	private CompletableFuture<Integer> arrive(Duration timeout, long nanos) {
		CompletableFuture<Integer> arrival = tripOrQueue(timeout, nanos);
		return (timeout != null) ? timed(arrival, timeout, nanos) : arrival;
	}

	/** Trips the barrier with this arrival, or queues it, or refuses it. */
	private CompletableFuture<Integer> tripOrQueue(Duration timeout, long nanos) {
		List<Waiter<?>> round;
		this.lock.lock();
		try {
			if (this.broken) {
				return refuse(new BarrierBrokenException(name(), ABORTED));
			}
			if (this.queue.size() + 1 < this.parties) {
				return (nanos > 0) ? add(new Waiter<>(this)) : refuseTimeout(timeout);
			}
			round = takeAll();
			for (int index = 0; index < round.size(); index++) {
				round.get(index).grant(index);
			}
		}
		finally {
			this.lock.unlock();
		}
		settleAll(round);
		return this.tripped;
	}

	@Override
	public void reset() {
		breakRound(false);
	}

	@Override
	public void abort() {
		breakRound(true);
	}

	private void breakRound(boolean staysBroken) {
		List<Waiter<?>> round;
		this.lock.lock();
		try {
			this.broken = staysBroken;
			round = takeAll();
			for (Waiter<?> waiter : round) {
				waiter.breakWith(new BarrierBrokenException(name(), BROKEN_WHILE_WAITING));
			}
		}
		finally {
			this.lock.unlock();
		}
		settleAll(round);
	}

	@Override
	public boolean isBroken() {
		return this.broken;
	}

	@Override
	public int parties() {
		return this.parties;
	}

	@Override
	public int numberWaiting() {
		return queueLength();
	}

	@Override
	public PrimitiveState state() {
		this.lock.lock();
		try {
			return PrimitiveState.barrier(name(), this.parties, this.broken, this.queue.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "Barrier '" + name() + "' ["
				+ (this.broken ? "broken" : "filling, waiters:" + numberWaiting() + "/" + this.parties) + "]";
	}

}
