package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The shared {@link TimeoutScheduler}: one daemon thread that ends timed waits. Continuations of
 * a wait that times out run on it, as they do on {@link java.util.concurrent.CompletableFuture}'s
 * own delayer for {@code orTimeout}.
 */
final class Timeouts {

	/** Reaches the executor only when called, so that the thread starts with the first timed wait. */
	static final TimeoutScheduler SHARED = (task, delay, unit) -> Holder.instance.schedule(task, delay, unit);

	private Timeouts() {
	}

	/** Converts a timeout to nanoseconds, saturating instead of overflowing. */
	static long toNanos(Duration timeout) {
		if (timeout == null) {
			throw new IllegalArgumentException("timeout must not be null");
		}
		try {
			return timeout.toNanos();
		}
		catch (ArithmeticException ex) {
			return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	/** Holder idiom: the thread starts with the first timed wait, not with the first primitive. */
	private static final class Holder {

		static final ScheduledThreadPoolExecutor instance = create();

		private static ScheduledThreadPoolExecutor create() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "lockstep-timeouts");
				thread.setDaemon(true);
				return thread;
			});
			// A wait that ends before its timeout must not leave its task (and the waiter) behind.
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

}
