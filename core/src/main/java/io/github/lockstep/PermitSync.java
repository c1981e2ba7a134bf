package io.github.lockstep;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The fair, cancellable permit counter behind {@link AsyncLock} and {@link AsyncSemaphore}.
 *
 * <p>Implementation notes. One atomic {@code state} decides acquire-or-wait, as in
 * kotlinx.coroutines' semaphore: a positive value is the number of free permits (and then nobody
 * waits), zero means no permit and no waiter, a negative value is minus the number of queued
 * waiters (and then no permit is free). Because free permits and waiters never coexist, a
 * newcomer can take a permit with one CAS exactly when nobody is queued, which is what makes the
 * semaphore fair without a lock on the uncontended path; and a release that finds waiters hands
 * its permit straight to the first of them instead of adding it back.
 *
 * <p>The fast paths only move {@code state} within {@code >= 0} (acquire {@code s > 0 → s-1},
 * release {@code s >= 0 → s+1}). Every move into or within the negative range happens holding
 * {@code lock}, together with the matching change of {@code queue}: an acquirer that must wait
 * turns {@code s <= 0} into {@code s-1} and queues itself, a release or a withdrawal takes one
 * waiter out and adds one back. So while {@code state < 0}, {@code -state == queue.size()}.
 *
 * <p>The probe hears of waits from {@link Waiter}; holds are reported only for a lock
 * ({@code timesHolds}), whose one holder makes an acquire and a release a pair. A permit taken at
 * once costs the probe nothing else, so an uninstrumented primitive pays one field read. As
 * everywhere in {@link QueuedSync}, a probe is called only after the change it reports: a wait's
 * start once the waiter is counted in {@code state} and queued, a hold's start once the permit is
 * taken (by the CAS, or by the hand-off with {@code state} updated).
 *
 * <p>An acquire that finds no permit and nobody queued ({@code state == 0}) spins briefly before
 * it queues ({@link #awaitReleaseBriefly}): between two busy threads the permit is usually
 * released within a few hundred nanoseconds, and taking it with a CAS is far cheaper than a
 * queued hand-off. The spin only ever takes a permit that is free while nobody waits, like the
 * fast path, and stops as soon as someone queues, so it does not change the order of waiters.
 * The internal lock, too, is taken with a short spin before parking
 * ({@link QueuedSync#lockBriefly}).
 */
final class PermitSync extends QueuedSync {

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(PermitSync.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The most permits a release may leave free; {@link Integer#MAX_VALUE} when unbounded. */
	private final int bound;

	private final String overReleaseMessage;

	private final boolean timesHolds;

	/** The probe's token for the current hold of a lock; written by whoever is granted it. */
	private long holdToken;

	@SuppressWarnings("unused") // accessed through STATE
	private volatile int state;

	PermitSync(PrimitiveKind kind, String name, int permits, int bound, String overReleaseMessage, boolean timesHolds,
			TimeoutScheduler scheduler) {
		super(kind, name, scheduler);
		this.timesHolds = timesHolds;
		this.bound = bound;
		this.overReleaseMessage = overReleaseMessage;
		this.state = permits;
	}

	boolean tryAcquire() {
		if (takeFreePermit()) {
			held();
			return true;
		}
		return false;
	}

	private boolean takeFreePermit() {
		for (;;) {
			int s = this.state;
			if (s <= 0) {
				return false;
			}
			if (STATE.compareAndSet(this, s, s - 1)) {
				return true;
			}
		}
	}

	CompletableFuture<Void> acquire() {
		if (tryAcquire() || awaitReleaseBriefly()) {
			return Settled.ACQUIRED;
		}
		return enqueue(new Waiter<>(this));
	}

	CompletableFuture<Void> acquire(Duration timeout) {
		long nanos = Timeouts.toNanos(timeout);
		if (tryAcquire() || (nanos > 0 && awaitReleaseBriefly())) {
			return Settled.ACQUIRED;
		}
		return (nanos > 0) ? timed(enqueue(new Waiter<>(this)), timeout, nanos) : refuseTimeout(timeout);
	}

	/**
	 * How long an acquire that finds every permit held and nobody queued watches the state before
	 * it queues, at most. A bound in time as well as in spins: one {@code Thread.onSpinWait()}
	 * took from 19 to 42 ns on the same VM (benchmarks/README.md), and a spin shorter than a
	 * queued hand-off (about 0.7 µs there) let two busy threads settle into queueing for every
	 * hand-off.
	 */
	static final long ACQUIRE_SPIN_NANOS = 2_000;

	/** The most reads of the state in that spin (about 1.8 µs at 19 ns each). */
	static final int ACQUIRE_SPINS = 96;

	/**
	 * Spins briefly for a permit while every permit is held and nobody waits, and takes it if a
	 * release frees one meanwhile; gives up at once when someone queues, so the queue stays FIFO.
	 * A hand-off between two busy threads then costs two CASes on {@code state} instead of a
	 * waiter, two critical sections and a future's completion.
	 */
	private boolean awaitReleaseBriefly() {
		long deadline = System.nanoTime() + ACQUIRE_SPIN_NANOS;
		for (int i = 1; i <= ACQUIRE_SPINS; i++) {
			Thread.onSpinWait();
			int s = this.state;
			if (s < 0) {
				return false;
			}
			if (s > 0 && STATE.compareAndSet(this, s, s - 1)) {
				held();
				return true;
			}
			if ((i & 7) == 0 && System.nanoTime() - deadline > 0) {
				return false;
			}
		}
		return false;
	}

	private CompletableFuture<Void> enqueue(Waiter<Void> waiter) {
		lockBriefly();
		try {
			for (;;) {
				int s = this.state;
				if (s > 0) {
					if (STATE.compareAndSet(this, s, s - 1)) {
						held();
						return Settled.ACQUIRED;
					}
				}
				else if (STATE.compareAndSet(this, s, s - 1)) {
					return add(waiter);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	void release() {
		long started = this.timesHolds ? this.holdToken : 0;
		Waiter<?> next = returnPermit();
		if (this.timesHolds) {
			// before the hand-off runs the next holder's continuations, which are not this hold
			holdEnded(started);
		}
		if (next != null) {
			Trampoline.run(next::settle);
		}
	}

	/** Reports a lock's new hold, once the permit is taken and the state says so. */
	private void held() {
		if (this.timesHolds) {
			this.holdToken = holdStarted();
		}
	}

	/**
	 * Adds the permit back, or grants it to the first waiter.
	 * @return the waiter granted, to settle, or {@code null}
	 */
	private Waiter<?> returnPermit() {
		for (;;) {
			int s = this.state;
			// A release is legal only while someone holds a permit: bound - free holders. With
			// waiters queued nothing is free, so every one of the bound's permits is held, unless
			// the bound is zero (asyncio's BoundedSemaphore(0) refuses every release).
			if (s >= this.bound || (s < 0 && this.bound == 0)) {
				throw new IllegalStateException(kind().displayName() + " '" + name() + "': " + this.overReleaseMessage);
			}
			if (s >= 0) {
				if (STATE.compareAndSet(this, s, s + 1)) {
					return null;
				}
			}
			else {
				Waiter<?> next = takeFirstWaiter();
				if (next != null) {
					return next;
				}
				// every waiter withdrew meanwhile: add the permit back instead
			}
		}
	}

	/** Takes the first waiter out and grants it the released permit, or returns null if none. */
	private Waiter<?> takeFirstWaiter() {
		lockBriefly();
		try {
			int s = this.state;
			if (s >= 0) {
				return null;
			}
			Waiter<?> first = this.queue.poll();
			first.grant(null);
			this.state = s + 1;
			// still holding the lock, so that a late cancel, which settles the grant itself, finds
			// the hold reported before the new holder can release it
			held();
			return first;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A withdrawn waiter gives its place back: one waiter fewer. */
	@Override
	void withdrawn() {
		this.state = this.state + 1;
	}

	/** A lock's state, from one read of {@code state}. */
	PrimitiveState lockState() {
		int s = this.state;
		return PrimitiveState.lock(name(), s <= 0, Math.max(-s, 0));
	}

	/** A semaphore's state, from one read of {@code state}. */
	PrimitiveState semaphoreState(int permits, boolean bounded) {
		int s = this.state;
		return PrimitiveState.semaphore(name(), permits, bounded, Math.max(s, 0), Math.max(-s, 0));
	}

	/** Free permits; zero while anyone waits. */
	int availablePermits() {
		return Math.max(this.state, 0);
	}

	/** Queued waiters, from the state alone: no lock. */
	@Override
	public int queueLength() {
		return Math.max(-this.state, 0);
	}

	/** No free permit, or waiters queued: an acquire would wait. */
	boolean isExhausted() {
		return this.state <= 0;
	}

	/** asyncio's repr: {@code [unlocked]} or {@code [unlocked, value:2]}, {@code [locked, waiters:3]}. */
	@Override
	public String toString() {
		int s = this.state;
		String value = (s > 0 && kind() != PrimitiveKind.LOCK) ? ", value:" + s : "";
		String waiters = (s < 0) ? ", waiters:" + (-s) : "";
		return kind().displayName() + " '" + name() + "' [" + ((s > 0) ? "unlocked" : "locked") + value + waiters + "]";
	}

}
