package io.github.lockstep;

import java.util.List;
import java.util.concurrent.CompletableFuture;

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

}
