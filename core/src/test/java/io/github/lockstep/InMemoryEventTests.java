package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncEvent} contract against {@link AsyncEvent#create(String)}, plus what the
 * in-memory event promises beyond it: waiters completed before {@code set()} returns.
 */
class InMemoryEventTests extends AsyncEventContractTests {

	@Override
	protected AsyncEvent createEvent(String name) {
		return AsyncEvent.create(name);
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
