package io.github.lockstep;

import org.junit.jupiter.api.AfterEach;

/** Runs the {@link AsyncSemaphore} contract against semaphores whose hand-off is asynchronous. */
class AsyncHandOffSemaphoreTests extends AsyncSemaphoreContractTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@Override
	protected AsyncSemaphore createSemaphore(String name, int permits) {
		return this.primitives.semaphore(name, permits, false);
	}

	@Override
	protected AsyncSemaphore createBounded(String name, int permits) {
		return this.primitives.semaphore(name, permits, true);
	}

	@AfterEach
	void close() {
		this.primitives.close();
	}

}
