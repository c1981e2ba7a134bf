package io.github.lockstep;

import java.util.ArrayDeque;

/**
 * Runs the completions of granted waits, so that their continuations can release and grant again
 * without growing the stack.
 *
 * <p>The first completion on a thread runs at once; a completion requested while one is running
 * on the same thread (a continuation that releases, sets or signals) is queued and run by the
 * outermost call once the current one returns. Called from outside a continuation, every
 * completion has therefore run when {@link #run} returns.
 */
final class Trampoline {

	private static final ThreadLocal<Trampoline> current = ThreadLocal.withInitial(Trampoline::new);

	private ArrayDeque<Runnable> pending;

	private boolean running;

	private Trampoline() {
	}

	/**
	 * Runs {@code completion} now, or after the completion already running on this thread.
	 * @param completion completes a future; never called while an internal lock is held
	 */
	static void run(Runnable completion) {
		Trampoline trampoline = current.get();
		if (trampoline.running) {
			if (trampoline.pending == null) {
				trampoline.pending = new ArrayDeque<>();
			}
			trampoline.pending.add(completion);
			return;
		}
		trampoline.drain(completion);
	}

	/**
	 * Returns whether this thread is running a completion, and so the continuations of a Lockstep
	 * future: blocking here could wait for a grant that is queued behind the caller.
	 * @return whether a completion is running on this thread
	 */
	static boolean isRunning() {
		return current.get().running;
	}

	private void drain(Runnable first) {
		this.running = true;
		Throwable failure = null;
		try {
			Runnable next = first;
			while (next != null) {
				try {
					next.run();
				}
				catch (Throwable ex) {
					// Keep draining: every queued completion is a grant someone is waiting for.
					if (failure == null) {
						failure = ex;
					}
				}
				next = (this.pending != null) ? this.pending.poll() : null;
			}
		}
		finally {
			this.running = false;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
	}

}
