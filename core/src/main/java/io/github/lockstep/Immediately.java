package io.github.lockstep;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The asynchronous forms of the in-memory commands: run the synchronous form now and return its
 * outcome as a completed future, a failure as a failed future rather than a throw.
 */
final class Immediately {

	private static final Settled<Boolean> TRUE = new Settled<>(Boolean.TRUE);

	private static final Settled<Boolean> FALSE = new Settled<>(Boolean.FALSE);

	private Immediately() {
	}

	static CompletableFuture<Void> run(Runnable command) {
		try {
			command.run();
			return Settled.ACQUIRED;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	static CompletableFuture<Boolean> test(BooleanSupplier command) {
		try {
			return command.getAsBoolean() ? TRUE : FALSE;
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

}
