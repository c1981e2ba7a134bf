package io.github.lockstep;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Runs the {@link AsyncCondition} contract against the in-memory factories, plus what the
 * in-memory condition promises beyond it: the waiter a release hands the lock back to is complete
 * when the release returns, and the condition works over a lock of any backend.
 */
class InMemoryConditionTests extends AsyncConditionContractTests {

	@Override
	protected AsyncCondition createCondition(String name) {
		return AsyncCondition.create(name);
	}

	@Override
	protected AsyncCondition createCondition(String name, AsyncLock lock) {
		return AsyncCondition.create(name, lock);
	}

	@Override
	protected AsyncLock createLock(String name) {
		return AsyncLock.create(name);
	}

	@Test
	void releaseHandsTheLockBackToTheSignalledWaiterBeforeReturning() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		condition.acquire();
		condition.signal();
		condition.release();
		assertThat(waiter).isCompleted();
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void deferredCancelCompletesBeforeTheReleaseThatHandsTheLockBackReturns() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		condition.acquire();
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).isCancelled();
	}

	@Test
	void awaitUntilRechecksBeforeTheReleaseReturns() {
		AsyncCondition condition = createCondition("account");
		int[] balance = { 0 };
		condition.acquire();
		CompletableFuture<Void> withdrawal = condition.awaitUntil(() -> balance[0] >= 60);
		condition.acquire();
		balance[0] += 30;
		condition.signalAll();
		condition.release();
		// re-checked, false, waits again: all before release() returned
		assertThat(withdrawal).isNotDone();
		assertThat(condition.queueLength()).isEqualTo(1);
		assertThat(condition.isLocked()).isFalse();
	}

	@Test
	void worksOverALockWithAnAsynchronousHandOff() {
		try (AsyncHandOffPrimitives other = new AsyncHandOffPrimitives()) {
			AsyncLock lock = other.lock("remote");
			AsyncCondition condition = createCondition("account", lock);
			Waits.done(condition.acquire());
			CompletableFuture<Void> waiter = condition.await();
			Waits.done(condition.acquire());
			condition.signal();
			condition.release();
			assertThat(waiter).succeedsWithin(Waits.WAIT);
			assertThat(lock.isLocked()).isTrue();
		}
	}

	@Test
	void signalledWaitsOverAForeignLockThatFailsToReacquireEndWithoutHanging() {
		FailingLock lock = new FailingLock();
		AsyncCondition condition = createCondition("account", lock);
		condition.acquire();
		CompletableFuture<Void> first = condition.await();
		condition.acquire();
		CompletableFuture<Void> second = condition.await();
		condition.acquire();
		lock.failAcquire = true;
		assertThatIllegalStateException().isThrownBy(() -> condition.signal(2)).withMessage("lock store down");
		assertThat(first).isCompletedExceptionally();
		assertThat(second).isCompletedExceptionally();
		assertThat(first.cancel(false)).isFalse();
		assertThat(condition.queueLength()).isZero();
	}

	/** A lock from another backend whose acquire can fail. */
	private static final class FailingLock extends ForwardingLock {

		boolean failAcquire;

		FailingLock() {
			super("foreign");
		}

		@Override
		public CompletableFuture<Void> acquire() {
			if (this.failAcquire) {
				throw new IllegalStateException("lock store down");
			}
			return super.acquire();
		}

	}

	@Test
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.signalAsync()).isCompletedExceptionally();
		assertThat(condition.tryAcquireAsync()).isCompletedWithValue(true);
		assertThat(condition.signalAsync()).isCompleted();
		assertThat(condition.signalAsync(3)).isCompleted();
		assertThat(condition.signalAllAsync()).isCompleted();
		assertThat(condition.releaseAsync()).isCompleted();
		assertThat(condition.isLocked()).isFalse();
	}

}
