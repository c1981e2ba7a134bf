package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncSemaphore} contract against the in-memory factories, plus what the
 * in-memory semaphore promises beyond it: an acquisition of a free permit is complete on return,
 * and a release completes the future it grants before it returns.
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
	void acquireOfAFreePermitIsCompleteOnReturnAndReleaseHandsOffBeforeReturning() {
		AsyncSemaphore semaphore = createSemaphore("pool", 1);
		assertThat(semaphore.acquire()).isCompleted();
		CompletableFuture<Void> waiter = semaphore.acquire();
		semaphore.release();
		assertThat(waiter).isCompleted();
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(semaphore.availablePermits()).isZero();
	}

	@Test
	void releasesServeWaitersInArrivalOrderBeforeReturning() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int position = i;
			semaphore.acquire().thenRun(() -> order.add(position));
		}
		for (int i = 0; i < 5; i++) {
			semaphore.release();
			assertThat(order).hasSize(i + 1);
		}
		assertThat(order).containsExactly(0, 1, 2, 3, 4);
	}

	@Test
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncSemaphore semaphore = createBounded("payment-api", 1);
		assertThat(semaphore.tryAcquireAsync()).isCompletedWithValue(true);
		assertThat(semaphore.tryAcquireAsync()).isCompletedWithValue(false);
		assertThat(semaphore.releaseAsync()).isCompleted();
		assertThat(semaphore.releaseAsync()).isCompletedExceptionally();
	}

	@Test
	void anonymousSemaphoresHaveDistinctNames() {
		assertThat(AsyncSemaphore.create(1).name()).startsWith("anonymous-semaphore-")
			.isNotEqualTo(AsyncSemaphore.bounded(1).name());
	}

}
