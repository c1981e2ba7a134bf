package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads against one {@link AsyncLock}: waits, timed waits, {@code orTimeout},
 * {@code tryAcquire}, {@code withLock}, random cancellations, and releases from the acquiring
 * thread and from inside continuations. Never two holders, and a plain counter changed only while
 * holding the lock loses no update. See {@link PermitStress} for the other invariants.
 */
class LockStressTests {

	@Test
	void lockIsNeverHeldTwiceAndEndsUnlocked() throws InterruptedException {
		new PermitStress(PermitStress.of(AsyncLock.create("stress-lock")), 1, 6, 30_000).run();
	}

	@Test
	void lockUnderEightThreadsIsNeverHeldTwiceAndEndsUnlocked() throws InterruptedException {
		new PermitStress(PermitStress.of(AsyncLock.create("stress-lock-8")), 1, 8, 20_000).run();
	}

	/**
	 * The lock's own timer and {@code orTimeout} both try to withdraw the same wait at the same
	 * moment: the one that loses must not mistake the withdrawn wait for a granted one.
	 */
	@Test
	void timedWaitWhoseOrTimeoutFiresTooNeverCompletesWithoutTheLock() {
		AsyncLock lock = AsyncLock.create("stress-two-timeouts");
		assertThat(lock.tryAcquire()).isTrue();
		for (int round = 0; round < 3; round++) {
			List<CompletableFuture<Void>> waits = StressSupport.raceTwoTimeouts(5_000, lock::acquire);
			assertThat(StressSupport.completedNormally(waits)).as("granted a lock that is held, round %d", round)
				.isEmpty();
			assertThat(lock.queueLength()).isZero();
		}
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	/**
	 * Holders record their fencing tokens while they hold the lock, so the list is in grant
	 * order: the tokens must increase along it, whichever thread asked first.
	 */
	@Test
	void fencingTokensIncreaseInGrantOrder() throws Exception {
		AsyncLock lock = AsyncLock.create("stress-fencing");
		List<Long> tokens = new ArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				workers.add(threads.submit(() -> {
					List<CompletableFuture<Void>> released = new ArrayList<>();
					for (int i = 0; i < 5_000; i++) {
						released.add(lock.acquireHold().thenCompose((hold) -> {
							tokens.add(hold.fencingToken());
							return hold.releaseAsync();
						}));
					}
					CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).join();
				}));
			}
			for (Future<?> worker : workers) {
				worker.get(StressSupport.DEADLINE.toSeconds(), TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(tokens).hasSize(20_000).isSorted().doesNotHaveDuplicates();
		assertThat(lock.isLocked()).isFalse();
	}

}
