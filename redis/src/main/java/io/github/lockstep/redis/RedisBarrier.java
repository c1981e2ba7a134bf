package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.BarrierBrokenException;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.WaitOutcome;

/**
 * {@link AsyncBarrier} over Redis: the round's arrivals, from every instance, queue in Redis.
 *
 * <p>Implementation notes. The arrival that fills the round trips it in Redis (BARRIER ARRIVE):
 * indices go to the queued arrivals in arrival order, {@code parties - 1} to the tripping one, as
 * the in-memory barrier does, so they are unique within a round. How each arrival ended is
 * recorded in Redis before it is announced, one message per instance; the caller's own instance
 * learns from the reply. Announcements are hints: every renewal asks Redis about this instance's
 * queued arrivals, so a lost message delays the end of a wait by at most one renewal interval.
 *
 * <p>Each instance with arrivals holds a lease in the barrier, extended by its renewal. An
 * instance that stops renewing (it died or was cut off) would leave its parties in the round for
 * ever: the next call that finds its lease run out (another instance's renewal at the latest)
 * breaks the barrier instead, ending the round's waits with {@link BarrierBrokenException}; it
 * stays broken until {@code reset()}. Cancel and timeout withdraw the arrival in Redis without
 * breaking anything; if the round tripped in Redis first, it counted the leaving party, whose own
 * future still ends cancelled.
 *
 * <p>An {@link Arrival} is SENDING until Redis answers, then QUEUED, LEAVING once given up, and
 * ENDED; all of it guarded by {@code lock}. Futures are completed after it is released.
 *
 * <p>Round trips: {@code await} one call; {@code abort} and {@code reset} one call each, which the
 * synchronous forms wait for; {@code isBroken}, {@code numberWaiting} and {@code state} none (the
 * latest state this instance has seen, refreshed at least every renewal, with this instance's
 * unanswered arrivals and withdrawals counted as it sees them).
 */
final class RedisBarrier implements AsyncBarrier, Instrumented {

	private static final String KIND = "Barrier";

	private static final String ABORTED = "Barrier aborted";

	private static final String BROKEN_WHILE_WAITING = "Abort or reset of barrier";

	/** Results that are not indices; see barrier-arrive.lua. */
	private static final int QUEUED = 1;

	private static final long BROKEN = -1;

	private static final long REFUSED_BROKEN = -2;

	private static final long REFUSED_TIMEOUT = -3;

	private static final long LEASE_LOST = -5;

	private enum State {

		SENDING, QUEUED, LEAVING, ENDED

	}

	private final RedisBackend backend;

	private final String name;

	private final int parties;

	private final String[] keys;

	private final ReentrantLock lock = new ReentrantLock();

	/** This instance's arrivals that have not ended, in the order they came. */
	private final Set<Arrival> arrivals = new LinkedHashSet<>();

	// the latest state seen, and this instance's adjustments to it; guarded by lock
	private long version = Long.MIN_VALUE;

	private boolean broken;

	private int waiting;

	/** Arrivals sent and not answered yet: waiting, as far as this instance's callers can tell. */
	private int sending;

	/** Arrivals Redis queued that were given up, until Redis answers the withdrawal. */
	private int leaving;

	private final AtomicBoolean mismatchLogged = new AtomicBoolean();

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	RedisBarrier(RedisBackend backend, String name, int parties) {
		this.backend = backend;
		this.name = name;
		this.parties = parties;
		String tag = SyncRegistry.tag(backend, name);
		this.keys = new String[] { tag + "b", tag + "b:a", tag + "b:r", tag + "b:t", tag + "b:l" };
	}

	/** One call to {@code await}, from its arrival to its end. */
	final class Arrival {

		final String id;

		final SyncWaiter<Integer> future = new SyncWaiter<>(KIND, RedisBarrier.this.name);

		final Duration timeout;

		/** A zero timeout: trips the round or is refused, never queues. */
		final boolean now;

		State state = State.SENDING;

		/** Whether it is counted in {@code leaving}. */
		boolean counted;

		final PendingWait pending = new PendingWait();

		Arrival(String id, Duration timeout) {
			this.id = id;
			this.timeout = timeout;
			this.now = timeout != null && (timeout.isZero() || timeout.isNegative());
		}

		RedisBarrier owner() {
			return RedisBarrier.this;
		}

	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public CompletableFuture<Integer> await() {
		return arrive(null);
	}

	@Override
	public CompletableFuture<Integer> await(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		return arrive(timeout);
	}

	private CompletableFuture<Integer> arrive(Duration timeout) {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		Arrival arrival = new Arrival(this.backend.newWid(), timeout);
		arrival.future.leaveBy((failure) -> leave(arrival, failure));
		this.lock.lock();
		try {
			this.arrivals.add(arrival);
			if (!arrival.now) {
				this.sending++;
			}
			this.backend.syncs.register(arrival);
		}
		finally {
			this.lock.unlock();
		}
		this.backend.syncs.call(SyncScript.BARRIER_ARRIVE, this.keys, new String[] { this.backend.instance,
				this.backend.leaseMillis, this.backend.inboxPrefix, this.backend.retentionMillis(),
				Integer.toString(this.parties), arrival.id, arrival.now ? "now" : "wait" })
			.whenComplete((reply, ex) -> arrived(arrival, reply, ex));
		if (timeout != null && !arrival.now) {
			arrival.pending.timer(this.backend.schedule(() -> arrival.future.end(arrival.future.timeout(timeout)), timeout));
			if (arrival.future.isDone()) {
				arrival.pending.stopTimer();
			}
		}
		return arrival.future;
	}

	private void arrived(Arrival arrival, List<Object> reply, Throwable ex) {
		List<Runnable> then = new ArrayList<>();
		this.lock.lock();
		try {
			if (ex != null) {
				if (arrival.state == State.SENDING) {
					// Redis may have queued it all the same: withdraw it there
					RuntimeException failure = SyncRegistry.failure(KIND, this.name, ex, mismatch());
					endLocked(arrival);
					then.add(() -> {
						arrival.pending.stopTimer();
						// an arrival Redis may never have seen: reported only if its start was
						arrival.pending.ended(this.probe, WaitOutcome.CANCELLED);
						arrival.future.fail(failure);
						sendLeave(arrival);
					});
				}
			}
			else {
				apply(reply, 2, then);
				if (Snapshot.toLong(reply.get(0)) != QUEUED) {
					long code = Snapshot.toLong(reply.get(1));
					// its own reply ends it at once if it tripped the round or was refused; any other end
					// (a re-sent call finding it recorded) means Redis had queued it
					settle(arrival, code, code != this.parties - 1 && code != REFUSED_BROKEN && code != REFUSED_TIMEOUT,
							then);
				}
				else if (arrival.state == State.SENDING) {
					leaveSending(arrival);
					arrival.state = State.QUEUED;
					arrival.pending.started(this.probe);
				}
				else if (arrival.state == State.LEAVING && !arrival.counted) {
					// given up before Redis answered that it had queued it: counted until the LEAVE is answered
					arrival.counted = true;
					this.leaving++;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		then.forEach(Runnable::run);
	}

	/** For the future's cancel and timeout: withdraws the arrival in Redis, breaking nothing. */
	private boolean leave(Arrival arrival, Throwable failure) {
		this.lock.lock();
		try {
			if (arrival.state == State.SENDING) {
				leaveSending(arrival);
			}
			else if (arrival.state == State.QUEUED) {
				arrival.counted = true;
				this.leaving++;
			}
			else {
				return false;
			}
			arrival.state = State.LEAVING;
		}
		finally {
			this.lock.unlock();
		}
		arrival.pending.stopTimer();
		arrival.pending.waited(this.probe, SyncRegistry.outcome(failure));
		sendLeave(arrival);
		return true;
	}

	private void sendLeave(Arrival arrival) {
		this.backend.syncs.call(SyncScript.BARRIER_LEAVE, this.keys, new String[] { this.backend.instance,
				this.backend.inboxPrefix, this.backend.retentionMillis(), Integer.toString(this.parties), arrival.id })
			.whenComplete((reply, ex) -> left(arrival, reply, ex));
	}

	private void left(Arrival arrival, List<Object> reply, Throwable ex) {
		List<Runnable> then = new ArrayList<>();
		this.lock.lock();
		try {
			if (arrival.counted) {
				arrival.counted = false;
				this.leaving--;
			}
			if (arrival.state == State.LEAVING) {
				endLocked(arrival);
			}
			// a failed withdrawal: if Redis still has the arrival, the round counts it, or reaping ends it
			if (ex == null) {
				apply(reply, 2, then);
			}
		}
		finally {
			this.lock.unlock();
		}
		then.forEach(Runnable::run);
	}

	// --- how arrivals end

	/**
	 * Takes in a state from a reply, a message or a renewal, {@code {v, broken, waiting, bwid, code,
	 * ...}} from {@code offset}, and ends the arrivals it lists. Called holding the lock.
	 */
	private void apply(List<Object> state, int offset, List<Runnable> then) {
		long v = Snapshot.toLong(state.get(offset));
		if (v >= this.version) {
			this.version = v;
			this.broken = Snapshot.toLong(state.get(offset + 1)) == 1;
			this.waiting = Snapshot.toInt(state.get(offset + 2));
		}
		for (int i = offset + 3; i + 1 < state.size(); i += 2) {
			Arrival arrival = this.backend.syncs.arrival(String.valueOf(state.get(i)));
			if (arrival != null && arrival.owner() == this) {
				settle(arrival, Snapshot.toLong(state.get(i + 1)), true, then);
			}
		}
	}

	/**
	 * Ends a waiting arrival as Redis decided; {@code waited} if Redis had queued it (then the probe
	 * hears of it even if this instance ends it before the reply that it was queued). Called
	 * holding the lock.
	 */
	private void settle(Arrival arrival, long code, boolean waited, List<Runnable> then) {
		if (arrival.state != State.SENDING && arrival.state != State.QUEUED) {
			return;
		}
		endLocked(arrival);
		then.add(() -> finish(arrival, code, waited));
	}

	private void endLocked(Arrival arrival) {
		leaveSending(arrival);
		arrival.state = State.ENDED;
		this.arrivals.remove(arrival);
		this.backend.syncs.unregister(arrival);
	}

	private void leaveSending(Arrival arrival) {
		if (arrival.state == State.SENDING && !arrival.now) {
			this.sending--;
		}
	}

	private void finish(Arrival arrival, long code, boolean waited) {
		arrival.pending.stopTimer();
		if (code >= 0) {
			report(arrival, waited, WaitOutcome.ACQUIRED);
			arrival.future.succeed((int) code);
			return;
		}
		if (code == REFUSED_BROKEN || code == REFUSED_TIMEOUT) {
			PendingWait.refused(this.probe, (code == REFUSED_BROKEN) ? WaitOutcome.BROKEN : WaitOutcome.TIMEOUT);
			arrival.future.fail((code == REFUSED_BROKEN) ? new BarrierBrokenException(this.name, ABORTED)
					: arrival.future.timeout(arrival.timeout));
			return;
		}
		report(arrival, waited, WaitOutcome.BROKEN);
		arrival.future.fail(new BarrierBrokenException(this.name, (code == BROKEN) ? BROKEN_WHILE_WAITING
				: (code == LEASE_LOST) ? "broken, a party's instance lost its lease (it died or was cut off from Redis)"
						: "broken, Redis no longer knows this arrival (it lost its data, or this instance was cut off"
								+ " for longer than the lease)"));
	}

	private void report(Arrival arrival, boolean waited, WaitOutcome outcome) {
		if (waited) {
			arrival.pending.waited(this.probe, outcome);
		}
		else {
			arrival.pending.ended(this.probe, outcome);
		}
	}

	/** A message: {@code {v, broken, waiting, bwid, code, ...}}. */
	void announced(List<Object> state) {
		List<Runnable> then = new ArrayList<>();
		this.lock.lock();
		try {
			apply(state, 0, then);
		}
		finally {
			this.lock.unlock();
		}
		then.forEach(Runnable::run);
	}

	// --- commands

	@Override
	public void reset() {
		SyncRegistry.run(this.backend, KIND, this.name, resetAsync());
	}

	@Override
	public void abort() {
		SyncRegistry.run(this.backend, KIND, this.name, abortAsync());
	}

	/** One call; the waits it breaks on this instance end before the future completes. */
	@Override
	public CompletableFuture<Void> resetAsync() {
		return breakRound("reset");
	}

	/** One call; the waits it breaks on this instance end before the future completes. */
	@Override
	public CompletableFuture<Void> abortAsync() {
		return breakRound("abort");
	}

	private CompletableFuture<Void> breakRound(String mode) {
		SyncRegistry.checkOpen(this.backend, KIND, this.name);
		CompletableFuture<Void> result = new Answer<>(KIND, this.name);
		this.backend.syncs.call(SyncScript.BARRIER_BREAK, this.keys, new String[] { this.backend.instance,
				this.backend.inboxPrefix, this.backend.retentionMillis(), Integer.toString(this.parties),
				this.backend.newWid(), mode })
			.whenComplete((reply, ex) -> {
				if (ex == null) {
					announced(reply.subList(2, reply.size()));
				}
				Completions.run(() -> {
					if (ex != null) {
						result.completeExceptionally(SyncRegistry.failure(KIND, this.name, ex, mismatch()));
					}
					else {
						result.complete(null);
					}
				});
			});
		return result;
	}

	private String mismatch() {
		return "parties, but this instance asks for " + this.parties + "; give it the same parties on every instance,"
				+ " or another name";
	}

	// --- renewal and close

	String[] keys() {
		return this.keys;
	}

	/** The arrivals Redis has queued, as far as this instance knows, and whether it has any at all. */
	List<String> queuedIds() {
		this.lock.lock();
		try {
			List<String> ids = new ArrayList<>();
			for (Arrival arrival : this.arrivals) {
				if (arrival.state == State.QUEUED) {
					ids.add(arrival.id);
				}
			}
			return ids;
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean hasArrivals() {
		this.lock.lock();
		try {
			return !this.arrivals.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A renewal's answer: {@code {0, v, broken, waiting, bwid, code, ...}} or {@code {1, mismatch}}. */
	void renewed(List<Object> entry) {
		if (Snapshot.toLong(entry.get(0)) != 0) {
			if (this.mismatchLogged.compareAndSet(false, true)) {
				System.getLogger(RedisBarrier.class.getName()).log(System.Logger.Level.ERROR, KIND + " '" + this.name
						+ "': Redis already has it with " + String.valueOf(entry.get(1)).replace("LOCKSTEP_MISMATCH ", "")
						+ " " + mismatch());
			}
			return;
		}
		announced(entry.subList(1, entry.size()));
	}

	/** Fails this instance's waits and withdraws its arrivals, for {@code close()}; returns the calls. */
	List<CompletableFuture<?>> leave() {
		List<Arrival> all;
		this.lock.lock();
		try {
			all = new ArrayList<>(this.arrivals);
			all.forEach(this::endLocked);
		}
		finally {
			this.lock.unlock();
		}
		RedisUnavailableException closed = new RedisUnavailableException(KIND, this.name,
				new IllegalStateException("the RedisPrimitives were closed"));
		List<CompletableFuture<?>> calls = new ArrayList<>();
		for (Arrival arrival : all) {
			arrival.pending.stopTimer();
			arrival.pending.waited(this.probe, WaitOutcome.CANCELLED);
			arrival.future.fail(closed);
			calls.add(this.backend.syncs.call(SyncScript.BARRIER_LEAVE, this.keys, new String[] { this.backend.instance,
					this.backend.inboxPrefix, this.backend.retentionMillis(), Integer.toString(this.parties),
					arrival.id }));
		}
		return calls;
	}

	// --- queries

	@Override
	public boolean isBroken() {
		this.lock.lock();
		try {
			return this.broken;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public int parties() {
		return this.parties;
	}

	/** Every instance's waiters, from the latest state seen: no round trip. */
	@Override
	public int numberWaiting() {
		this.lock.lock();
		try {
			return numberWaitingLocked();
		}
		finally {
			this.lock.unlock();
		}
	}

	private int numberWaitingLocked() {
		return Math.max(0, this.waiting + this.sending - this.leaving);
	}

	@Override
	public PrimitiveState state() {
		this.lock.lock();
		try {
			return PrimitiveState.barrier(this.name, this.parties, this.broken, numberWaitingLocked());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public PrimitiveProbe probe() {
		return PendingWait.given(this.probe);
	}

	@Override
	public void probe(PrimitiveProbe probe) {
		this.probe = PendingWait.guard(probe, KIND, this.name);
	}

	@Override
	public String toString() {
		return KIND + " '" + this.name + "' [redis, "
				+ (isBroken() ? "broken" : "filling, waiters:" + numberWaiting() + "/" + this.parties) + "]";
	}

}
