package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static io.github.lockstep.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link AsyncEvent} promises, run against each implementation by a subclass. A future
 * an implementation completes is waited for ({@code succeedsWithin}): a backend may complete it on
 * another thread a moment after the call that decided it returned. The in-memory event's
 * completion of every waiter before {@code set()} returns is tested in {@link InMemoryEventTests}.
 */
public abstract class AsyncEventContractTests {

	/**
	 * Creates the event under test.
	 * @param name its name
	 * @return a new, clear event
	 */
	protected abstract AsyncEvent createEvent(String name);

	@Test
	void setCompletesEveryWaiter() {
		AsyncEvent event = createEvent("cache-warm");
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			waiters.add(event.await());
		}
		assertThat(event.queueLength()).isEqualTo(3);
		assertThat(waiters).allMatch((waiter) -> !waiter.isDone());
		event.set();
		for (CompletableFuture<Void> waiter : waiters) {
			assertThat(waiter).succeedsWithin(WAIT);
		}
		assertThat(event.queueLength()).isZero();
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void awaitOnASetEventCompletesUntilCleared() {
		AsyncEvent event = createEvent("cache-warm");
		event.set();
		assertThat(event.await()).succeedsWithin(WAIT);
		event.clear();
		assertThat(event.isSet()).isFalse();
		assertThat(event.await()).isNotDone();
	}

	@Test
	void clearDoesNotUnwakeCompletedWaiters() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> waiter = event.await();
		event.set();
		event.clear();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(event.queueLength()).isZero();
	}

	@Test
	void setTwiceDoesNothingTheSecondTime() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> woken = event.await();
		event.set();
		assertThat(woken).succeedsWithin(WAIT);
		PrimitiveState once = event.state();
		event.set();
		assertThat(event.state()).isEqualTo(once);
		// the second set() left nothing behind: one clear() makes later waits wait again, and the
		// next set() wakes them, once
		event.clear();
		CompletableFuture<Void> later = event.await();
		assertThat(later).isNotDone();
		assertThat(event.queueLength()).isEqualTo(1);
		event.set();
		assertThat(later).succeedsWithin(WAIT);
		assertThat(event.state()).isEqualTo(once);
	}

	@Test
	void cancelledAndTimedOutWaitersLeave() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> cancelled = event.await();
		CompletableFuture<Void> timed = event.await(Duration.ofMillis(10));
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(timed).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Event 'cache-warm'");
		assertThat(event.queueLength()).isZero();
		assertThat(event.await(Duration.ZERO)).failsWithin(WAIT);
		event.set();
		assertThat(event.await(Duration.ZERO)).succeedsWithin(WAIT);
	}

	@Test
	void stateShowsTheFlagAndTheWaiters() {
		AsyncEvent event = createEvent("cache-warm");
		assertThat(event.kind()).isEqualTo(PrimitiveKind.EVENT);
		assertThat(event.state()).isEqualTo(PrimitiveState.event("cache-warm", false, 0));
		CompletableFuture<Void> waiter = event.await();
		assertThat(event.state()).isEqualTo(PrimitiveState.event("cache-warm", false, 1));
		assertThat(event.state().locked()).isEmpty();
		event.set();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(event.state()).isEqualTo(PrimitiveState.event("cache-warm", true, 0));
		assertThat(event.state().set()).contains(true);
	}

	@Test
	void asynchronousFormsSetAndClear() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> waiter = event.await();
		assertThat(event.setAsync()).succeedsWithin(WAIT);
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(event.isSet()).isTrue();
		assertThat(event.clearAsync()).succeedsWithin(WAIT);
		assertThat(event.isSet()).isFalse();
	}

}
