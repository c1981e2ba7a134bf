package io.github.lockstep;

/** Runs the {@link AsyncEvent} contract against {@link AsyncEvent#create(String)}. */
class InMemoryEventTests extends AsyncEventContractTests {

	@Override
	protected AsyncEvent createEvent(String name) {
		return AsyncEvent.create(name);
	}

}
