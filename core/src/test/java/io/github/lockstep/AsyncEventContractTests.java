package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@link AsyncEvent} (SPEC §2), run against each implementation by a subclass.
 */
abstract class AsyncEventContractTests {

	protected abstract AsyncEvent createEvent(String name);

	@Test
	void setCompletesEveryWaiterInOrderBeforeReturning() {
		AsyncEvent event = createEvent("cache-warm");
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			int position = i;
			event.await().thenRun(() -> order.add(position));
		}
		assertThat(event.queueLength()).isEqualTo(3);
		event.set();
		assertThat(order).containsExactly(0, 1, 2);
		assertThat(event.queueLength()).isZero();
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void awaitOnASetEventCompletesAtOnceUntilCleared() {
		AsyncEvent event = createEvent("cache-warm");
		event.set();
		assertThat(event.await()).isCompleted();
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
		assertThat(waiter).isCompleted();
	}

	@Test
	void setTwiceDoesNothingTheSecondTime() {
		AsyncEvent event = createEvent("cache-warm");
		event.set();
		event.set();
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void cancelledAndTimedOutWaitersLeave() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> cancelled = event.await();
		CompletableFuture<Void> timed = event.await(Duration.ofMillis(10));
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(timed).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Event 'cache-warm'");
		assertThat(event.queueLength()).isZero();
		assertThat(event.await(Duration.ZERO)).isCompletedExceptionally();
		event.set();
		assertThat(event.await(Duration.ZERO)).isCompleted();
	}

	@Test
	void waiterThatSetsTheEventAgainInItsContinuationDoesNotRecurse() {
		AsyncEvent first = createEvent("first");
		AsyncEvent second = createEvent("second");
		List<String> order = new ArrayList<>();
		first.await().thenRun(() -> {
			second.set();
			order.add("first-continuation-returns");
		});
		second.await().thenRun(() -> order.add("second"));
		first.set();
		// the nested set() is run once the first continuation has returned
		assertThat(order).containsExactly("first-continuation-returns", "second");
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
		assertThat(waiter).succeedsWithin(Duration.ofSeconds(5));
		assertThat(event.state()).isEqualTo(PrimitiveState.event("cache-warm", true, 0));
		assertThat(event.state().set()).contains(true);
	}

	@Test
	void asynchronousFormsSetAndClear() {
		AsyncEvent event = createEvent("cache-warm");
		CompletableFuture<Void> waiter = event.await();
		assertThat(event.setAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(waiter).succeedsWithin(Duration.ofSeconds(5));
		assertThat(event.isSet()).isTrue();
		assertThat(event.clearAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(event.isSet()).isFalse();
	}
}
