package io.github.lockstep.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a test reads the failure of a future that a Redis primitive completes on one of Lettuce's
 * threads, a round trip after the call that decided it.
 *
 * <pre>{@code
 * assertThat(Outcomes.failureOf(waiter)).isInstanceOf(BarrierBrokenException.class);
 * }</pre>
 */
final class Outcomes {

	/** Long enough for a round trip on a loaded machine, short enough that a hang fails the test. */
	static final Duration WAIT = Duration.ofSeconds(5);

	private Outcomes() {
	}

	/** The failure {@code future} ends with, within {@link #WAIT}, unwrapped. */
	static Throwable failureOf(CompletableFuture<?> future) {
		assertThat(future).failsWithin(WAIT);
		return unwrap(future.handle((value, ex) -> ex).join());
	}

	/** A dependent stage's failure without its {@link CompletionException}. */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
