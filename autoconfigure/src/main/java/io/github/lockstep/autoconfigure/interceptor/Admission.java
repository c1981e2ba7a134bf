package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One asynchronous call's way in through its plan's steps, one after the other, holding no thread
 * while it waits; and its way out, which gives back what it holds exactly once.
 *
 * <p>{@link #admitted()} completes once every step has been entered, on the thread that granted the
 * last one, or fails with the first step's failure (a timeout, a broken barrier), everything held
 * by then given back. {@link #giveUp()} ends a call that is still waiting; {@link #exit()} ends it
 * in any state.
 */
final class Admission {

	/*
	 * Implementation notes: a step's wait can end (granted, failed) on any thread while the caller
	 * gives up on another. The small lock orders the two: whoever ends the call first takes what
	 * is held, and a grant that arrives after the end is given back by the thread that sees it. No
	 * step is entered or exited while the lock is held, since a release runs the continuations of
	 * the calls it admits.
	 */

	private final List<Step> steps;

	private final CompletableFuture<Void> admitted = new CompletableFuture<>();

	private final ReentrantLock lock = new ReentrantLock();

	/** How many steps, from the first, are entered and not yet given back. */
	private int held;

	/** The step wait in progress, if any. */
	private CompletableFuture<?> waiting;

	/** Every step entered: from now on only {@link #exit()} ends the call. */
	private boolean through;

	/** Given up, failed or exited: a grant that arrives now is given back at once. */
	private boolean ended;

	private Admission(List<Step> steps) {
		this.steps = steps;
	}

	/** Starts the call's way in. */
	static Admission start(List<Step> steps) {
		return start(steps, 0);
	}

	/**
	 * Goes on with a call's way in after its first {@code entered} steps, which it already holds
	 * (through {@link Step#tryEnter()}) and gives back like the rest.
	 */
	static Admission start(List<Step> steps, int entered) {
		Admission admission = new Admission(steps);
		admission.held = entered;
		admission.advance(entered);
		return admission;
	}

	/** Completes once every step has been entered; fails with the first step's failure. */
	CompletableFuture<Void> admitted() {
		return this.admitted;
	}

	/**
	 * Ends a call that is still waiting: its wait is withdrawn and what it holds given back.
	 * @return false if the call was already through (or ended), and so is left alone
	 */
	boolean giveUp() {
		return end(true);
	}

	/** Ends the call in any state, giving back what it holds; later calls do nothing. */
	void exit() {
		end(false);
	}

	private boolean end(boolean onlyIfWaiting) {
		int count;
		CompletableFuture<?> wait;
		this.lock.lock();
		try {
			if (this.ended || (onlyIfWaiting && this.through)) {
				return false;
			}
			this.ended = true;
			count = this.held;
			this.held = 0;
			wait = this.waiting;
		}
		finally {
			this.lock.unlock();
		}
		if (wait != null) {
			// if the grant wins this race, onStep sees the end and gives the grant back
			wait.cancel(false);
		}
		this.admitted.cancel(false);
		exitSteps(count);
		return true;
	}

	private void advance(int index) {
		for (int next = index;; next++) {
			if (next == this.steps.size()) {
				if (passedAll()) {
					this.admitted.complete(null);
				}
				return;
			}
			CompletableFuture<?> wait;
			try {
				wait = this.steps.get(next).enter();
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
		boolean over;
		this.lock.lock();
		try {
			this.waiting = wait;
			over = this.ended;
		}
		finally {
			this.lock.unlock();
		}
		if (over) {
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
		boolean late;
		int count = 0;
		this.lock.lock();
		try {
			this.waiting = null;
			late = this.ended;
			if (!late) {
				if (failure == null) {
					this.held = index + 1;
				}
				else {
					this.ended = true;
					count = this.held;
					this.held = 0;
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (failure == null) {
			if (late) {
				this.steps.get(index).exit();
			}
			return !late;
		}
		if (!late) {
			exitSteps(count);
			this.admitted.completeExceptionally(unwrap(failure));
		}
		return false;
	}

	private boolean passedAll() {
		this.lock.lock();
		try {
			this.through = !this.ended;
			return this.through;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void exitSteps(int count) {
		exit(this.steps, count);
	}

	/**
	 * Gives back the first {@code count} steps, last first; every one of them even if one throws,
	 * and then throws the first failure.
	 */
	static void exit(List<Step> steps, int count) {
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

	private static Throwable failureOf(CompletableFuture<?> done) {
		if (!done.isCompletedExceptionally()) {
			return null;
		}
		try {
			done.join();
			return new IllegalStateException("a failed wait joined normally");
		}
		catch (CompletionException | java.util.concurrent.CancellationException ex) {
			return unwrap(ex);
		}
	}

	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
