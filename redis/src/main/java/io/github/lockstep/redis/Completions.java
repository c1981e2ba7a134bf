package io.github.lockstep.redis;

/**
 * Marks the threads that are running the continuations of a Redis primitive's futures, so that a
 * blocking call there, which could wait for a reply that the same thread has to read, is refused
 * instead of hanging.
 */
final class Completions {

	private static final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

	private Completions() {
	}

	/** Runs a completion, and with it the continuations it triggers. */
	static void run(Runnable completion) {
		int[] running = depth.get();
		running[0]++;
		try {
			completion.run();
		}
		finally {
			running[0]--;
		}
	}

	/**
	 * Returns whether this thread may block for a reply from Redis: not inside a continuation that
	 * a Redis primitive runs, nor on one of Lettuce's own threads (which read those replies).
	 * @return whether blocking here is safe
	 */
	static boolean mayBlock() {
		return depth.get()[0] == 0 && !Thread.currentThread().getName().startsWith("lettuce-");
	}

	/**
	 * Refuses a blocking wait for a future that is not done where {@link #mayBlock()} says it could
	 * hang.
	 * @param owner the primitive, {@code "Lock 'inventory'"}, for the message
	 * @throws IllegalStateException if blocking here is not safe
	 */
	static void refuseBlocking(String owner) {
		if (!mayBlock()) {
			throw new IllegalStateException(owner + ": a blocking wait here would hold the thread that reads Redis's"
					+ " replies (a Lockstep continuation or a Lettuce thread); compose the future instead"
					+ " (thenCompose, withLock, withPermit)");
		}
	}

}
