package io.github.lockstep.autoconfigure.interceptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.lockstep.Instrumented;

/**
 * One call's places in the steps of its plan: taken on the way in, held while the method runs,
 * and given back exactly once, with the report of the hold to the probe of the plan's
 * {@code @Throttled} semaphore. The asynchronous calls ({@link StageCall}, {@link AsyncTaskCall},
 * {@link ReactiveCall}) are one each, so that an uncontended call allocates a single object:
 * {@link #admit()} takes the steps that are free at once, and {@link #admitted()} completes once
 * the rest have been entered, on the thread that granted the last one, or fails with the first
 * step's failure, everything held by then given back. {@link #running()} marks the method as
 * called, {@link #giveUp()} ends a call whose method has not been called, and {@link #exit()}
 * ends it in any state; only the first end gives anything back.
 *
 * <p>A {@link SyncCall} has nothing to coordinate: one thread enters, runs and exits, and its
 * {@code finally} is its exactly once. Its admission lives on the caller's stack, through
 * {@link #enterAll}, {@link #holdStarted} and {@link #exitAll}, which give back and report with
 * the same code as {@link #exit()}: an object per sync call was measured to cost 48 bytes and
 * about 14 ns.
 */
class Admission {

	/*
	 * Implementation notes: a step's wait can end (granted, failed) on any thread while the call
	 * is given up on another. One int orders them: the count of the steps held (entered and not
	 * given back) and three flags, THROUGH (every step entered), RUNNING (the method was called)
	 * and ENDED. Once the admission is shared, every change is a CAS on it. Whoever sets ENDED
	 * takes the count and gives back that many steps; a grant that arrives after the end sees ENDED and gives its step back. The
	 * wait in progress is published in `waiting` before the state is read again, and an end reads
	 * `waiting` after it set ENDED, so at least one of the two cancels it. No step is entered or
	 * exited inside a CAS loop, since a release runs the continuations of the calls it admits.
	 *
	 * A call admitted at once (every step free) sets THROUGH before anyone else can see the
	 * admission, and allocates no `admitted` future; a StageCall admitted at once also sets
	 * RUNNING before it is shared (runningAlone), one CAS less on the uncontended path. The hold
	 * token is written by running() before the method is called and read by the exit that the method's end starts, on the
	 * call's own path, which happens after it.
	 */

	private static final int HELD = 0xFFFF;

	private static final int THROUGH = 1 << 16;

	private static final int RUNNING = 1 << 17;

	private static final int ENDED = 1 << 18;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(Admission.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The steps, and the semaphore whose permit a running call holds (for its probe). */
	final MethodPlan plan;

	@SuppressWarnings("unused") // accessed through STATE
	private volatile int state;

	/** The step wait in progress, if any. */
	private volatile CompletableFuture<?> waiting;

	/** For a call that had to wait: completes once through. {@code null} for one admitted at once. */
	private CompletableFuture<Void> admitted;

	/** The probe's token of the hold of a running call. */
	private long hold;

	/** The admission of a call that {@link #admit()} starts. */
	Admission(MethodPlan plan) {
		this.plan = plan;
	}

	/**
	 * The way in of a sync call: enters every step in turn, waiting on the calling thread
	 * (interruptibly, giving up its place); if one fails, gives back those entered before and
	 * throws its failure. Once it returns, the caller holds every step until {@link #exitAll}.
	 * @throws Throwable the failure of the step that could not be entered
	 */
	static void enterAll(MethodPlan plan) throws Throwable {
		List<Step> steps = plan.steps();
		for (int i = 0; i < steps.size(); i++) {
			try {
				waitFor(steps.get(i));
			}
			catch (Throwable ex) {
				try {
					release(plan, i, false, 0);
				}
				catch (RuntimeException exitFailure) {
					ex.addSuppressed(exitFailure);
				}
				throw ex;
			}
		}
	}

	/**
	 * The way out of a sync call that {@link #enterAll} let in: reports the end of its hold and
	 * gives back every step, last first.
	 * @param hold what {@link #holdStarted} returned
	 */
	static void exitAll(MethodPlan plan, long hold) {
		release(plan, plan.steps().size(), true, hold);
	}

	/**
	 * Starts the way in without blocking: takes the steps that are free at once (the uncontended
	 * case takes them all, and needs nothing more), then waits for the rest, keeping the ones
	 * taken. Called once, before the call is shared.
	 * @throws RuntimeException what a step's {@code tryEnter} threw, the steps before it given back
	 */
	final void admit() {
		List<Step> steps = this.plan.steps();
		int entered = 0;
		try {
			while (entered < steps.size() && steps.get(entered).tryEnter()) {
				entered++;
			}
		}
		catch (RuntimeException | Error ex) {
			refused(entered, ex);
			throw ex;
		}
		if (entered == steps.size()) {
			STATE.set(this, entered | THROUGH);
		}
		else {
			waitForTheRest(entered);
		}
	}

	/** A step's {@code tryEnter} threw: gives back those entered before it. */
	private void refused(int entered, Throwable failure) {
		STATE.set(this, entered);
		try {
			exit();
		}
		catch (RuntimeException exitFailure) {
			failure.addSuppressed(exitFailure);
		}
	}

	private void waitForTheRest(int entered) {
		STATE.set(this, entered);
		this.admitted = new CompletableFuture<>();
		advance(entered);
	}

	/** Whether every step has been entered (and the call has not ended before that). */
	final boolean isAdmitted() {
		return (this.state & THROUGH) != 0;
	}

	/** Completes once every step has been entered; fails with the first step's failure. */
	final CompletableFuture<Void> admitted() {
		return (this.admitted != null) ? this.admitted : CompletableFuture.completedFuture(null);
	}

	/**
	 * Marks the method as called, which only {@link #exit()} ends from now on, and reports the
	 * start of the hold.
	 * @return false if the call has ended already: the method must not run
	 */
	final boolean running() {
		int current;
		do {
			current = this.state;
			if ((current & ENDED) != 0) {
				return false;
			}
		}
		while (!STATE.compareAndSet(this, current, current | RUNNING));
		this.hold = holdStarted(this.plan);
		return true;
	}

	/**
	 * Marks the method as called, as {@link #running()} does, for a call that {@link #admit()}
	 * admitted at once and that no other thread can see yet, so that no end can race it: without
	 * the CAS.
	 */
	final void runningAlone() {
		STATE.set(this, (int) STATE.get(this) | RUNNING);
		this.hold = holdStarted(this.plan);
	}

	/**
	 * Ends a call whose method has not been called: a wait in progress is withdrawn and what the
	 * call holds given back.
	 * @return false if the method runs already, or the call has ended: it is left alone
	 */
	final boolean giveUp() {
		return end(true);
	}

	/**
	 * Ends the call in any state: reports the end of the hold if the method ran, and gives back
	 * what the call holds, last step first. Later calls do nothing.
	 * @throws RuntimeException the first failure of a step's give-back, after every step's
	 */
	final void exit() {
		end(false);
	}

	private boolean end(boolean unlessRunning) {
		int ended;
		do {
			ended = this.state;
			if ((ended & ENDED) != 0 || (unlessRunning && (ended & RUNNING) != 0)) {
				return false;
			}
		}
		while (!STATE.compareAndSet(this, ended, ENDED));
		withdraw();
		release(this.plan, ended & HELD, (ended & RUNNING) != 0, this.hold);
		return true;
	}

	/** Cancels the wait in progress and the admission's future, if there are. */
	private void withdraw() {
		CompletableFuture<?> wait = this.waiting;
		if (wait != null) {
			// if the grant wins this race, onStep sees the end and gives the grant back
			wait.cancel(false);
		}
		if (this.admitted != null) {
			this.admitted.cancel(false);
		}
	}

	private void advance(int index) {
		for (int next = index;; next++) {
			if (next == this.plan.steps().size()) {
				if (passedAll()) {
					this.admitted.complete(null);
				}
				return;
			}
			CompletableFuture<?> wait;
			try {
				wait = this.plan.steps().get(next).enter();
			}
			catch (Throwable ex) {
				onStep(next, ex);
				return;
			}
			if (!wait.isDone()) {
				waitFor(next, wait);
				return;
			}
			if (!onStep(next, failureOf(wait))) {
				return;
			}
		}
	}

	private void waitFor(int index, CompletableFuture<?> wait) {
		this.waiting = wait;
		if ((this.state & ENDED) != 0) {
			wait.cancel(false);
		}
		wait.whenComplete((granted, failure) -> {
			if (onStep(index, failure)) {
				advance(index + 1);
			}
		});
	}

	/** Records how a step's wait ended; returns whether to go on to the next step. */
	private boolean onStep(int index, Throwable failure) {
		this.waiting = null;
		int current;
		if (failure == null) {
			do {
				current = this.state;
				if ((current & ENDED) != 0) {
					// ended while the grant raced it: give the grant back
					this.plan.steps().get(index).exit();
					return false;
				}
			}
			while (!STATE.compareAndSet(this, current, current + 1));
			return true;
		}
		do {
			current = this.state;
			if ((current & ENDED) != 0) {
				return false;
			}
		}
		while (!STATE.compareAndSet(this, current, ENDED));
		try {
			release(this.plan, current & HELD, false, 0);
		}
		finally {
			this.admitted.completeExceptionally(unwrap(failure));
		}
		return false;
	}

	private boolean passedAll() {
		int current;
		do {
			current = this.state;
			if ((current & ENDED) != 0) {
				return false;
			}
		}
		while (!STATE.compareAndSet(this, current, current | THROUGH));
		return true;
	}

	/**
	 * Reports that a call's method starts running, holding the permit of the plan's
	 * {@code @Throttled} semaphore, if it has one. A probe that throws changes nothing: the call
	 * goes on without that report, and its end is reported with the token 0.
	 * @return the token for {@link #exitAll}
	 */
	static long holdStarted(MethodPlan plan) {
		Instrumented holding = plan.holding();
		if (holding == null) {
			return 0;
		}
		try {
			return holding.probe().holdStarted();
		}
		catch (RuntimeException | LinkageError ex) {
			plan.probeFailed("holdStarted", ex);
			return 0;
		}
	}

	/**
	 * The end of every call: reports the end of the hold to the probe of the plan's
	 * {@code @Throttled} semaphore, if the method ran (a probe that throws changes nothing), then
	 * gives back the first {@code count} steps.
	 * @param ran whether the method ran, holding the permit whose hold ends
	 */
	private static void release(MethodPlan plan, int count, boolean ran, long hold) {
		Instrumented holding = plan.holding();
		if (ran && holding != null) {
			try {
				holding.probe().holdEnded(hold);
			}
			catch (RuntimeException | LinkageError ex) {
				plan.probeFailed("holdEnded", ex);
			}
		}
		exitSteps(plan.steps(), count);
	}

	/**
	 * Gives back the first {@code count} steps, last first; every one of them even if one throws,
	 * and then throws the first failure.
	 */
	private static void exitSteps(List<Step> steps, int count) {
		RuntimeException first = null;
		for (int i = count - 1; i >= 0; i--) {
			try {
				steps.get(i).exit();
			}
			catch (RuntimeException ex) {
				first = (first != null) ? first : ex;
			}
		}
		if (first != null) {
			throw first;
		}
	}

	/**
	 * Waits for one step on this thread, on any backend's future. An interrupt gives up the place
	 * (the call fails with {@link CancellationException}, the interrupt flag kept) unless the grant
	 * won the race, in which case the call goes on holding it, the flag set. A wait that ends in
	 * another throw (the refusal to block inside a Lockstep continuation among them, which leaves
	 * the wait queued) is withdrawn, and a grant that won the race is given back, so that nothing is
	 * left holding or queued for a call that failed.
	 */
	private static void waitFor(Step step) throws Throwable {
		CompletableFuture<?> wait = step.enter();
		if (wait.isDone() && !wait.isCompletedExceptionally()) {
			return;
		}
		try {
			wait.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (!wait.cancel(false) && grantedAfterAll(wait)) {
				return;
			}
			CancellationException cancelled = new CancellationException(
					(ex.getMessage() != null) ? ex.getMessage() : "wait interrupted");
			cancelled.initCause(ex);
			throw cancelled;
		}
		catch (Throwable ex) {
			if (!wait.cancel(false) && grantedAfterAll(wait)) {
				step.exit();
			}
			throw (ex instanceof ExecutionException && ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	/**
	 * Whether a wait that could not be cancelled was granted: waits, without giving way to an
	 * interrupt, for a grant that was decided but not yet delivered (as on a network backend).
	 */
	private static boolean grantedAfterAll(CompletableFuture<?> wait) {
		try {
			wait.join();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The failure of a future that is done: its cause, or {@code null} if it succeeded. */
	static Throwable failureOf(CompletableFuture<?> done) {
		if (!done.isCompletedExceptionally()) {
			return null;
		}
		try {
			done.join();
			return new IllegalStateException("a failed wait joined normally");
		}
		catch (CompletionException | CancellationException ex) {
			return unwrap(ex);
		}
	}

	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
