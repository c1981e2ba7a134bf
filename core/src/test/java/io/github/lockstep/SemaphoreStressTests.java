package io.github.lockstep;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads against one {@link AsyncSemaphore}: waits, timed waits, {@code orTimeout},
 * {@code tryAcquire}, {@code withPermit}, random cancellations, and releases from the acquiring
 * thread and from inside continuations. See {@link PermitStress} for the invariants checked.
 */
class SemaphoreStressTests {

	@Test
	void boundedSemaphoreNeverGrantsMoreThanItsPermitsAndGetsEveryPermitBack() throws InterruptedException {
		new PermitStress(PermitStress.of(AsyncSemaphore.bounded("stress-bounded", 3)), 3, 6, 25_000).run();
	}

	@Test
	void semaphoreOfOnePermitUnderEightThreadsGetsEveryPermitBack() throws InterruptedException {
		new PermitStress(PermitStress.of(AsyncSemaphore.create("stress-one", 1)), 1, 8, 20_000).run();
	}

	@Test
	void semaphoreOfManyPermitsGetsEveryPermitBack() throws InterruptedException {
		new PermitStress(PermitStress.of(AsyncSemaphore.create("stress-many", 5)), 5, 4, 25_000).run();
	}

	/**
	 * The semaphore's own timer and {@code orTimeout} both try to withdraw the same wait at the same
	 * moment: the one that loses must not mistake the withdrawn wait for a granted one.
	 */
	@Test
	void timedWaitWhoseOrTimeoutFiresTooNeverCompletesWithoutAPermit() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("stress-two-timeouts", 0);
		for (int round = 0; round < 3; round++) {
			List<CompletableFuture<Void>> waits = StressSupport.raceTwoTimeouts(5_000, semaphore::acquire);
			assertThat(StressSupport.completedNormally(waits)).as("granted by a semaphore with no permit, round %d",
					round)
				.isEmpty();
			assertThat(waits.stream()
				.map((wait) -> StressSupport.unwrap(wait.handle((ok, ex) -> ex).join()))
				.filter((failure) -> !(failure instanceof AcquireTimeoutException))
				.limit(5)).as("waits that did not end with AcquireTimeoutException, round %d", round).isEmpty();
			assertThat(semaphore.availablePermits()).isZero();
			assertThat(semaphore.queueLength()).isZero();
		}
	}

}
