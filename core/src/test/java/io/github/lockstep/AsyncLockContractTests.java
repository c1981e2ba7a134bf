package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The contract of {@link AsyncLock} (SPEC §2), run against each implementation by a subclass.
 */
abstract class AsyncLockContractTests {

	protected abstract AsyncLock createLock(String name);

	@Test
	void acquireWhenFreeCompletesAtOnceAndLocks() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Void> acquired = lock.acquire();
		assertThat(acquired).isCompleted();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void releaseHandsTheLockToTheFirstWaiterBeforeReturning() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> first = lock.acquire();
		CompletableFuture<Void> second = lock.acquire();
		assertThat(first).isNotDone();
		assertThat(lock.queueLength()).isEqualTo(2);
		lock.release();
		assertThat(first).isCompleted();
		assertThat(second).isNotDone();
		assertThat(lock.isLocked()).isTrue(); // gh-138121: held by the waiter it was handed to
		assertThat(lock.queueLength()).isEqualTo(1);
	}

	@Test
	void newcomerCannotBargePastAGrantedWaiter() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		lock.acquire();
		lock.release();
		assertThat(lock.tryAcquire()).isFalse();
		assertThat(lock.acquire()).isNotDone();
	}

	@Test
	void releaseWhenUnlockedFailsWithAsyncioMessageNamingTheLock() {
		AsyncLock lock = createLock("inventory");
		assertThatIllegalStateException().isThrownBy(lock::release)
			.withMessage("Lock 'inventory': Lock is not acquired.");
	}

	@Test
	void cancelQueuedAcquireWithdrawsIt() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> cancelled = lock.acquire();
		CompletableFuture<Void> next = lock.acquire();
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(cancelled).isCancelled();
		assertThat(cancelled.handle((v, ex) -> ex).join()).isInstanceOf(CancellationException.class)
			.hasMessage("Lock 'inventory': wait cancelled");
		assertThat(lock.queueLength()).isEqualTo(1);
		lock.release();
		assertThat(next).isCompleted();
	}

	@Test
	void cancelAfterGrantReturnsFalseAndTheCallerHoldsTheLock() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> waiter = lock.acquire();
		lock.release();
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(waiter).isCompleted();
		assertThat(lock.isLocked()).isTrue();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void timedAcquireFailsWithAcquireTimeoutExceptionAndLeavesNothingBehind() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> timed = lock.acquire(Duration.ofMillis(20));
		assertThat(timed).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Lock 'inventory': wait timed out after 20ms");
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void zeroTimeoutDoesNotWait() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.acquire(Duration.ZERO)).isCompleted();
		CompletableFuture<Void> refused = lock.acquire(Duration.ZERO);
		assertThat(refused).isCompletedExceptionally();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void orTimeoutOnAQueuedAcquireWithdrawsItWithAcquireTimeoutException() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> timed = lock.acquire().orTimeout(10, TimeUnit.MILLISECONDS);
		assertThat(timed).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Lock 'inventory': wait timed out");
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void completeIsRefusedOnAQueuedWait() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> waiter = lock.acquire();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> waiter.complete(null));
		// completeAsync would bypass complete() and grant a lock that is held by someone else
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> waiter.completeAsync(() -> null));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> waiter.completeAsync(() -> null, Runnable::run));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> waiter.completeOnTimeout(null, 1, TimeUnit.MILLISECONDS));
		assertThat(waiter).isNotDone();
		assertThat(lock.queueLength()).isEqualTo(1);
	}

	@Test
	void withLockReleasesWhenTheStageCompletes() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> work);
		assertThat(lock.isLocked()).isTrue();
		work.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockReleasesWhenTheActionThrows() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> result = lock.withLock(() -> {
			throw new IllegalArgumentException("boom");
		});
		assertThat(result).isCompletedExceptionally();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockCancelledWhileWaitingGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		List<String> ran = new ArrayList<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			ran.add("action");
			return CompletableFuture.completedFuture("x");
		});
		assertThat(lock.queueLength()).isEqualTo(1);
		result.cancel(false);
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(ran).isEmpty();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockTimedOutWhileWaitingGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<String> result = lock.withLock(() -> CompletableFuture.completedFuture("x"));
		assertThat(lock.queueLength()).isEqualTo(1);
		result.completeExceptionally(new TimeoutException()); // what orTimeout does
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockFailedWhileRunningPassesTheEndToTheStage() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> work);
		result.completeExceptionally(new TimeoutException());
		assertThat(work).isCancelled();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD) // a regression deadlocks
	void blockingJoinOnWithLockInsideALockstepContinuationIsRefused() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Void> inner = new CompletableFuture<>();
		lock.acquire().thenRun(() -> {
			lock.release();
			try {
				// the hand-off of the release above is queued behind this continuation
				lock.withLock(() -> CompletableFuture.completedFuture("x")).join();
				inner.complete(null);
			}
			catch (IllegalStateException ex) {
				inner.completeExceptionally(ex);
			}
		});
		lock.acquire();
		lock.release();
		assertThat(inner).isCompletedExceptionally();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(inner::join)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("thenCompose");
	}

	@Test
	void withLockCancelledWhileRunningKeepsTheLockUntilTheStageEnds() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> work);
		result.cancel(false);
		assertThat(work).isCancelled(); // cancellation reached the action's own stage
		assertThat(lock.isLocked()).isFalse(); // which ended, so the lock is back
	}

	@Test
	void withLockCancelledWhileRunningAnUncancellableStageReleasesWhenItEnds() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(work::minimalCompletionStage);
		result.cancel(false);
		assertThat(lock.isLocked()).isTrue();
		work.complete("late");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void continuationsThatReleaseDoNotGrowTheStack() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		int chain = 100_000;
		int[] served = new int[1];
		List<CompletableFuture<Void>> waiters = new ArrayList<>(chain);
		for (int i = 0; i < chain; i++) {
			int position = i;
			waiters.add(lock.acquire().thenRun(() -> {
				assertThat(served[0]).isEqualTo(position);
				served[0]++;
				lock.release();
			}));
		}
		lock.release();
		assertThat(served[0]).isEqualTo(chain);
		assertThat(waiters).allMatch((waiter) -> waiter.isDone() && !waiter.isCompletedExceptionally());
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	@Timeout(value = 10, threadMode = ThreadMode.SEPARATE_THREAD) // a regression deadlocks
	void blockingJoinInsideALockstepContinuationIsRefused() {
		AsyncLock lock = createLock("inventory");
		AsyncLock other = createLock("other");
		other.acquire();
		lock.acquire();
		CompletableFuture<Void> inner = new CompletableFuture<>();
		lock.acquire().thenRun(() -> {
			try {
				other.acquire().join();
				inner.complete(null);
			}
			catch (IllegalStateException ex) {
				inner.completeExceptionally(ex);
			}
		});
		lock.release();
		assertThat(inner).isCompletedExceptionally();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(inner::join)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessageContaining("Lock 'other'")
			.withMessageContaining("thenCompose");
	}

	@Test
	void anonymousLocksHaveDistinctNames() {
		assertThat(AsyncLock.create().name()).startsWith("anonymous-lock-").isNotEqualTo(AsyncLock.create().name());
	}

	@Test
	void stateShowsWhetherLockedAndTheWaiters() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.kind()).isEqualTo(PrimitiveKind.LOCK);
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", false, 0));
		assertThat(lock.acquire()).succeedsWithin(Duration.ofSeconds(5));
		CompletableFuture<Void> waiter = lock.acquire();
		PrimitiveState state = lock.state();
		assertThat(state).isEqualTo(PrimitiveState.lock("inventory", true, 1));
		assertThat(state.kind()).isEqualTo(PrimitiveKind.LOCK);
		assertThat(state.locked()).contains(true);
		assertThat(state.availablePermits()).isEmpty();
		assertThat(state.set()).isEmpty();
		lock.release();
		assertThat(waiter).succeedsWithin(Duration.ofSeconds(5));
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", true, 0));
		lock.release();
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", false, 0));
	}

	@Test
	void asynchronousFormsDoWhatTheSynchronousOnesDoAndFailInsteadOfThrowing() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.tryAcquireAsync()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.tryAcquireAsync()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
		assertThat(lock.releaseAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.releaseAsync()).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Lock 'inventory': Lock is not acquired.");
	}

	@Test
	void holdsCarryIncreasingFencingTokensAndReleaseTheLockOnce() {
		AsyncLock lock = createLock("inventory");
		Hold first = lock.acquireHold().join();
		assertThat(first.primitive()).isSameAs(lock);
		assertThat(first.isValid()).isTrue();
		assertThat(first.fencingToken()).isPositive();
		assertThat(first.lost().toCompletableFuture()).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		CompletableFuture<Hold> next = lock.acquireHold();
		assertThat(next).isNotDone();
		first.release();
		assertThat(first.isValid()).isFalse();
		Hold second = next.join();
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThatIllegalStateException().isThrownBy(first::release)
			.withMessage("Lock 'inventory': the hold with fencing token " + first.fencingToken()
					+ " was already released");
		assertThat(lock.isLocked()).as("a second release of a hold releases nothing").isTrue();
		assertThat(first.releaseAsync()).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(second.releaseAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(second.isValid()).isFalse();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.acquireHold().join().fencingToken()).isGreaterThan(second.fencingToken());
	}

	@Test
	void holdAcquisitionCancelledWhileQueuedGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		Hold holder = lock.acquireHold().join();
		CompletableFuture<Hold> cancelled = lock.acquireHold();
		assertThat(lock.queueLength()).isEqualTo(1);
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(lock.queueLength()).isZero();
		holder.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void timedHoldAcquisitionFailsWithAcquireTimeoutException() {
		AsyncLock lock = createLock("inventory");
		Hold holder = lock.acquireHold(Duration.ZERO).join();
		assertThat(lock.acquireHold(Duration.ofMillis(10))).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Lock 'inventory': wait timed out after 10ms");
		assertThat(lock.queueLength()).isZero();
		holder.release();
		assertThat(lock.isLocked()).isFalse();
	}
}
