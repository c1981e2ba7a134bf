package io.github.lockstep;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every in-memory primitive is built on, as {@code AbstractQueuedSynchronizer} is for
 * {@code java.util.concurrent}: a FIFO of {@link Waiter}s guarded by one lock, the withdrawal of a
 * waiter that gives up, the start of a timed wait's timer, and the calls to the primitive's
 * {@link PrimitiveProbe}. A subclass adds its own state (permits, a flag, a round) and decides
 * under {@link #lock} who waits and who is granted:
 * <ul>
 * <li>{@link PermitSync} (behind {@link InMemoryLock} and {@link InMemorySemaphore}) counts
 * permits in an atomic word and takes the lock only to queue or hand off;</li>
 * <li>{@link InMemoryEvent}, {@link InMemoryBarrier} and {@link InMemoryCondition} are
 * subclasses themselves: a flag, a round of arrivals, waits for a signal.</li>
 * </ul>
 *
 * <pre>{@code
 * lock.lock();
 * try {
 *     if (cannotGoOn()) {
 *         return add(new Waiter<>(this));    // queued, and its wait reported
 *     }
 *     grantees = takeAll();                  // each recorded with grant(…) or breakWith(…)
 * }
 * finally {
 *     lock.unlock();
 * }
 * settleAll(grantees);                       // futures completed outside the lock
 * }</pre>
 */
abstract class QueuedSync {

	/*
	 * Implementation notes.
	 *
	 * The lock guards the queue together with whatever state of the subclass says who may go on
	 * (a negative permit count, an unset flag, a round not full). Every change of the queue
	 * happens with the matching change of that state in one critical section, so a thread that
	 * takes the lock always finds the two consistent: that is the invariant, and nothing else runs
	 * inside it. Futures are completed after the lock is released (Waiter.settle, through the
	 * Trampoline), since a completion runs the caller's continuations.
	 *
	 * Metrics never change an outcome. A probe is called only once the state change it reports is
	 * complete and consistent: a wait's start after its waiter is in the queue and counted, a
	 * hold's start after the permit is taken and the state updated, a wait's end before the future
	 * completes but after the outcome is decided. Some of those calls are still made holding the
	 * lock (so that nobody can take the waiter out before its start is reported), but after the
	 * change, never between two halves of it. And every probe call goes through the methods below,
	 * which catch what the probe throws: the first failure is logged with the primitive's name, on
	 * the logger named after PrimitiveProbe; later ones are ignored until another probe is set.
	 * A failed start gives the token 0, which the matching end then receives.
	 */

	private static final System.Logger logger = System.getLogger(PrimitiveProbe.class.getName());

	private static final VarHandle PROBE_FAILURE_LOGGED;

	static {
		try {
			PROBE_FAILURE_LOGGED = MethodHandles.lookup()
				.findVarHandle(QueuedSync.class, "probeFailureLogged", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final PrimitiveKind kind;

	private final String name;

	private final TimeoutScheduler scheduler;

	/** Guards {@link #queue} and the subclass's state that goes with it. */
	final ReentrantLock lock = new ReentrantLock();

	final WaitQueue queue = new WaitQueue();

	private volatile PrimitiveProbe probe = PrimitiveProbe.NONE;

	/** The primitive a probe failure is logged for: this one, or the condition this lock is part of. */
	private QueuedSync reportsFor = this;

	@SuppressWarnings("unused") // accessed through PROBE_FAILURE_LOGGED
	private volatile boolean probeFailureLogged;

	QueuedSync(PrimitiveKind kind, String name, TimeoutScheduler scheduler) {
		this.kind = kind;
		this.name = name;
		this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
	}

	/** Returns the kind of primitive; its display name starts the messages. */
	public final PrimitiveKind kind() {
		return this.kind;
	}

	public final String name() {
		return this.name;
	}

	final TimeoutScheduler scheduler() {
		return this.scheduler;
	}

	public PrimitiveProbe probe() {
		return this.probe;
	}

	public void probe(PrimitiveProbe probe) {
		this.probe = Objects.requireNonNull(probe, "probe");
		this.reportsFor.probeFailureLogged = false;
	}

	/** Logs the probe failures of this primitive as the failures of {@code primitive}'s probe. */
	final void reportProbeFailuresAs(QueuedSync primitive) {
		this.reportsFor = primitive;
	}

	// --- the lock

	/**
	 * How many times {@link #lockBriefly()} tries the lock again before it parks: with
	 * {@code Thread.onSpinWait()} between tries, well under a microsecond on the machines measured
	 * (benchmarks/README.md), a few times the longest critical section.
	 */
	static final int LOCK_SPINS = 16;

	/**
	 * Takes {@link #lock}, spinning briefly before parking. Every critical section is a few
	 * writes (and a probe call), so a thread that finds the lock held will usually have it a few
	 * dozen nanoseconds later; parking instead costs microseconds on both sides (the unpark, the
	 * wake-up) and an allocation, and puts the two threads of a hand-off in step, so that they
	 * collide again on the next one. A holder that was descheduled is still waited for by parking.
	 */
	final void lockBriefly() {
		ReentrantLock lock = this.lock;
		if (lock.tryLock()) {
			return;
		}
		for (int i = 0; i < LOCK_SPINS; i++) {
			Thread.onSpinWait();
			if (!lock.isLocked() && lock.tryLock()) {
				return;
			}
		}
		lock.lock();
	}

	// --- the queue

	/** Queues {@code waiter} and reports its wait; called holding {@link #lock}, state updated. */
	final <T> Waiter<T> add(Waiter<T> waiter) {
		this.queue.add(waiter);
		waiter.queued();
		return waiter;
	}

	/**
	 * Takes {@code waiter} out of the queue if it is still there.
	 * @return {@code true} if it was queued (it is now abandoned), {@code false} if the primitive
	 * already took it out to grant or break it
	 */
	final boolean withdraw(Waiter<?> waiter) {
		lockBriefly();
		try {
			if (!this.queue.remove(waiter)) {
				return false;
			}
			withdrawn();
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Updates the subclass's state for a waiter just withdrawn; called holding {@link #lock}. */
	void withdrawn() {
	}

	/** Takes every queued waiter out, in order; called holding {@link #lock}. */
	final List<Waiter<?>> takeAll() {
		List<Waiter<?>> taken = new ArrayList<>(this.queue.size());
		for (Waiter<?> waiter = this.queue.poll(); waiter != null; waiter = this.queue.poll()) {
			taken.add(waiter);
		}
		return taken;
	}

	/** Completes the futures of waiters taken out and recorded; never called holding {@link #lock}. */
	static void settleAll(List<? extends Waiter<?>> taken) {
		for (Waiter<?> waiter : taken) {
			Trampoline.run(waiter::settle);
		}
	}

	/** The number of queued waiters, read under {@link #lock}. */
	public int queueLength() {
		this.lock.lock();
		try {
			return this.queue.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	// --- timed waits

	/** A timed wait that cannot go on at once and may not wait: refused with a timeout. */
	final <T> CompletableFuture<T> refuseTimeout(Duration timeout) {
		return refuse(new AcquireTimeoutException(this.kind.displayName(), this.name, timeout));
	}

	/** A caller refused without queueing, reported as a wait that started and ended at once. */
	final <T> CompletableFuture<T> refuse(LockstepException failure) {
		waitEnded(waitStarted(), WaitOutcome.of(failure));
		return CompletableFuture.failedFuture(failure);
	}

	/** Starts the timer of {@code result} if it is a queued waiter; returns {@code result}. */
	final <T> CompletableFuture<T> timed(CompletableFuture<T> result, Duration timeout, long nanos) {
		if (result instanceof Waiter<T> waiter) {
			waiter.startTimer(timeout, nanos);
		}
		return result;
	}

	// --- the probe, called only through these

	final long waitStarted() {
		PrimitiveProbe probe = this.probe;
		try {
			return probe.waitStarted();
		}
		catch (Throwable ex) {
			probeFailed(probe, "waitStarted", ex);
			return 0;
		}
	}

	final void waitEnded(long started, WaitOutcome outcome) {
		PrimitiveProbe probe = this.probe;
		try {
			probe.waitEnded(started, outcome);
		}
		catch (Throwable ex) {
			probeFailed(probe, "waitEnded", ex);
		}
	}

	final long holdStarted() {
		PrimitiveProbe probe = this.probe;
		try {
			return probe.holdStarted();
		}
		catch (Throwable ex) {
			probeFailed(probe, "holdStarted", ex);
			return 0;
		}
	}

	final void holdEnded(long started) {
		PrimitiveProbe probe = this.probe;
		try {
			probe.holdEnded(started);
		}
		catch (Throwable ex) {
			probeFailed(probe, "holdEnded", ex);
		}
	}

	private void probeFailed(PrimitiveProbe probe, String method, Throwable failure) {
		QueuedSync primitive = this.reportsFor;
		if (PROBE_FAILURE_LOGGED.compareAndSet(primitive, false, true)) {
			logger.log(Level.WARNING,
					() -> primitive.kind.displayName() + " '" + primitive.name + "': its probe (" + probe.getClass().getName()
							+ ") threw from " + method + "; the primitive goes on without that report, and"
							+ " later failures of this probe are not logged",
					failure);
		}
	}

}
