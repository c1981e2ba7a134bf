package io.github.lockstep;

import org.junit.jupiter.api.AfterEach;

/** Runs the {@link AsyncEvent} contract against events whose waiters complete asynchronously. */
class AsyncHandOffEventTests extends AsyncEventContractTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@Override
	protected AsyncEvent createEvent(String name) {
		return this.primitives.event(name);
	}

	@AfterEach
	void close() {
		this.primitives.close();
	}

}
