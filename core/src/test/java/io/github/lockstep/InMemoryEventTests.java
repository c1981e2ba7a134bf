package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncEvent} contract against {@link AsyncEvent#create(String)}, plus what the
 * in-memory event promises beyond it: {@code set()} completes every waiter, in order, before it
 * returns, and a {@code set()} inside a waiter's continuation runs once that continuation returns.
 */
class InMemoryEventTests extends AsyncEventContractTests {

	@Override
	protected AsyncEvent createEvent(String name) {
		return AsyncEvent.create(name);
	}

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
	void awaitOnASetEventIsCompleteOnReturn() {
		AsyncEvent event = createEvent("cache-warm");
		event.set();
		assertThat(event.await()).isCompleted();
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
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncEvent event = createEvent("cache-warm");
		assertThat(event.setAsync()).isCompleted();
		assertThat(event.isSet()).isTrue();
		assertThat(event.clearAsync()).isCompleted();
		assertThat(event.isSet()).isFalse();
	}

}
