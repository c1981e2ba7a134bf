package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncSemaphore} contract against the in-memory factories, plus what the
 * in-memory semaphore promises beyond it: a synchronous hand-off.
 */
class InMemorySemaphoreTests extends AsyncSemaphoreContractTests {

	@Override
	protected AsyncSemaphore createSemaphore(String name, int permits) {
		return AsyncSemaphore.create(name, permits);
	}

	@Override
	protected AsyncSemaphore createBounded(String name, int permits) {
		return AsyncSemaphore.bounded(name, permits);
	}

	@Test
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncSemaphore semaphore = createBounded("payment-api", 1);
		assertThat(semaphore.tryAcquireAsync()).isCompletedWithValue(true);
		assertThat(semaphore.tryAcquireAsync()).isCompletedWithValue(false);
		assertThat(semaphore.releaseAsync()).isCompleted();
		assertThat(semaphore.releaseAsync()).isCompletedExceptionally();
	}

}
