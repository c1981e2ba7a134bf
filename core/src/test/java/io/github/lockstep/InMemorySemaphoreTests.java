package io.github.lockstep;

/** Runs the {@link AsyncSemaphore} contract against the in-memory factories. */
class InMemorySemaphoreTests extends AsyncSemaphoreContractTests {

	@Override
	protected AsyncSemaphore createSemaphore(String name, int permits) {
		return AsyncSemaphore.create(name, permits);
	}

	@Override
	protected AsyncSemaphore createBounded(String name, int permits) {
		return AsyncSemaphore.bounded(name, permits);
	}

}
