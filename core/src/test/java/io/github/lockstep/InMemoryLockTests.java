package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs the {@link AsyncLock} contract against {@link AsyncLock#create(String)}, plus what the
 * in-memory lock promises beyond it: an uncontended acquisition is complete on return, a release
 * completes the future it grants before it returns, and a blocking wait inside a continuation
 * that Lockstep runs is refused.
 */
class InMemoryLockTests extends AsyncLockContractTests {

	@Override
	protected AsyncLock createLock(String name) {
		return AsyncLock.create(name);
	}

	@Test
	void acquireWhenFreeIsCompleteOnReturn() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.acquire()).isCompleted();
		assertThat(lock.acquire(Duration.ZERO)).isCompletedExceptionally();
		lock.release();
		assertThat(lock.acquire(Duration.ZERO)).isCompleted();
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
	void cancelRightAfterTheHandOffReturnsFalseAndTheCallerHoldsTheLock() {
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
	void withLockRunsTheActionAndReleasesBeforeReturning() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> work);
		assertThat(lock.isLocked()).isTrue();
		work.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void continuationsThatReleaseAllRunBeforeTheFirstReleaseReturns() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		int[] served = new int[1];
		for (int i = 0; i < 1_000; i++) {
			lock.acquire().thenRun(() -> {
				served[0]++;
				lock.release();
			});
		}
		lock.release();
		assertThat(served[0]).isEqualTo(1_000);
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
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.tryAcquireAsync()).isCompletedWithValue(true);
		assertThat(lock.releaseAsync()).isCompleted();
		assertThat(lock.releaseAsync()).isCompletedExceptionally();
	}

	@Test
	void holdOfAFreeLockIsCompleteOnReturnAndNeverLost() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Hold> acquired = lock.acquireHold();
		assertThat(acquired).isCompleted();
		Hold hold = acquired.join();
		assertThat(hold).hasToString("Hold of Lock 'inventory' [fencing token " + hold.fencingToken() + ", valid]");
		hold.release();
		assertThat(hold.lost().toCompletableFuture()).isNotDone();
		assertThat(hold).hasToString("Hold of Lock 'inventory' [fencing token " + hold.fencingToken() + ", released]");
	}

	@Test
	void holdGrantedToAFutureThatWasEndedMeanwhileIsReleasedAgain() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Hold> waiting = lock.acquireHold();
		// an end that does not fail the future, so the wait is not withdrawn: the grant finds it done
		waiting.complete(null);
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

}
