package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the contract suites wait for a future that every backend completes, though not
 * necessarily before the call that decided it returns.
 */
final class Waits {

	/** Long enough for any backend under test, short enough that a hang fails the test. */
	static final Duration WAIT = Duration.ofSeconds(5);

	private Waits() {
	}

	/** The value of a future that must complete normally within {@link #WAIT}. */
	static <T> T done(CompletableFuture<T> future) {
		try {
			return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new AssertionError("expected " + future + " to complete normally within " + WAIT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

}
