package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link AsyncBarrier} as a queue of the current round's arrivals.
 *
 * <p>Implementation notes. Arrival indices are handed out when the round trips, in queue order,
 * rather than on arrival as in CPython: a waiter that leaves early then leaves no gap or
 * duplicate (gh-155233), and the tripping arrival is always {@code parties - 1}. A round ends at
 * once when it trips, so there is no draining phase; reset and abort act on the waiters queued at
 * that moment, which are exactly the ones not yet released.
 */
final class InMemoryBarrier implements AsyncBarrier, Waiter.Owner, Instrumented {

	private static final String ABORTED = "Barrier aborted";

	private static final String BROKEN_WHILE_WAITING = "Abort or reset of barrier";

	private final String name;

	private final int parties;

	private final Settled<Integer> tripped;

	private final ReentrantLock lock = new ReentrantLock();

	private final WaitQueue arrived = new WaitQueue();

	private volatile boolean broken;

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	InMemoryBarrier(String name, int parties) {
		if (parties < 1) {
			throw new IllegalArgumentException(
					"Barrier '" + name + "': parties must be >= 1, but was " + parties);
		}
		this.name = name;
		this.parties = parties;
		this.tripped = new Settled<>(parties - 1);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public PrimitiveKind kind() {
		return PrimitiveKind.BARRIER;
	}

	@Override
	public PrimitiveProbe probe() {
		return this.probe;
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = Objects.requireNonNull(probe, "probe");
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
		List<Waiter<?>> round;
		Waiter<Integer> waiter;
		this.lock.lock();
		try {
			if (this.broken) {
				return Waiter.refused(this.probe, new BarrierBrokenException(this.name, ABORTED));
			}
			if (this.arrived.size() + 1 == this.parties) {
				round = takeAll();
				for (int index = 0; index < round.size(); index++) {
					round.get(index).grant(index);
				}
				waiter = null;
			}
			else if (nanos <= 0) {
				return Waiter.refused(this.probe, new AcquireTimeoutException(kind().displayName(), this.name, timeout));
			}
			else {
				waiter = new Waiter<>(this);
				waiter.queued();
				this.arrived.add(waiter);
				round = null;
			}
		}
		finally {
			this.lock.unlock();
		}
		if (waiter != null) {
			if (timeout != null) {
				waiter.startTimer(timeout, nanos);
			}
			return waiter;
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
				waiter.breakWith(new BarrierBrokenException(this.name, BROKEN_WHILE_WAITING));
			}
		}
		finally {
			this.lock.unlock();
		}
		settleAll(round);
	}

	private List<Waiter<?>> takeAll() {
		List<Waiter<?>> round = new ArrayList<>(this.arrived.size());
		for (Waiter<?> waiter = this.arrived.poll(); waiter != null; waiter = this.arrived.poll()) {
			round.add(waiter);
		}
		return round;
	}

	private static void settleAll(List<Waiter<?>> round) {
		for (Waiter<?> waiter : round) {
			Trampoline.run(waiter::settle);
		}
	}

	@Override
	public boolean withdraw(Waiter<?> waiter) {
		this.lock.lock();
		try {
			return this.arrived.remove(waiter);
		}
		finally {
			this.lock.unlock();
		}
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
		this.lock.lock();
		try {
			return this.arrived.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public PrimitiveState state() {
		this.lock.lock();
		try {
			return PrimitiveState.barrier(this.name, this.parties, this.broken, this.arrived.size());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "Barrier '" + this.name + "' ["
				+ (this.broken ? "broken" : "filling, waiters:" + numberWaiting() + "/" + this.parties) + "]";
	}

}
