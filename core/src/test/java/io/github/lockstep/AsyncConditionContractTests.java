package io.github.lockstep;

import java.util.concurrent.ExecutionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The contract of {@link AsyncCondition} (SPEC §2), run against each implementation by a subclass.
 */
abstract class AsyncConditionContractTests {

	protected abstract AsyncCondition createCondition(String name);

	protected abstract AsyncCondition createCondition(String name, AsyncLock lock);

	@Test
	void awaitReleasesTheLockAndCompletesHoldingItAfterSignal() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.queueLength()).isEqualTo(1);
		condition.acquire();
		condition.signal();
		assertThat(waiter).isNotDone(); // the signaller still holds the lock
		assertThat(condition.queueLength()).isZero();
		condition.release();
		assertThat(waiter).isCompleted();
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void awaitAndSignalRequireTheLock() {
		AsyncCondition condition = createCondition("account");
		assertThatIllegalStateException().isThrownBy(condition::await)
			.withMessage("Condition 'account': cannot wait on un-acquired lock");
		assertThatIllegalStateException().isThrownBy(condition::signal)
			.withMessage("Condition 'account': cannot notify on un-acquired lock");
		assertThatIllegalStateException().isThrownBy(condition::signalAll);
	}

	@Test
	void signalCountsOnlyWaitersNotYetSignalled() {
		AsyncCondition condition = createCondition("account");
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			condition.acquire();
			waiters.add(condition.await());
		}
		condition.acquire();
		condition.signal(1);
		condition.signal(1);
		condition.signal(0);
		condition.signal(-5);
		assertThat(condition.queueLength()).isEqualTo(1);
		condition.release();
		assertThat(waiters.get(0)).isCompleted();
		condition.release();
		assertThat(waiters.get(1)).isCompleted();
		assertThat(waiters.get(2)).isNotDone();
	}

	@Test
	void cancelIsDeferredUntilTheLockIsHeldAgain() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		condition.acquire(); // someone else holds the lock now
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).isCancelled();
		assertThat(condition.isLocked()).isTrue();
		condition.release();
	}

	@Test
	void cancelAfterCompletionReturnsFalse() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		condition.acquire();
		condition.signal();
		condition.release();
		assertThat(waiter).isCompleted();
		assertThat(waiter.cancel(false)).isFalse();
	}

	@Test
	void signalledWaiterThatIsCancelledPassesTheSignalOn() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> first = condition.await();
		condition.acquire();
		CompletableFuture<Void> second = condition.await();
		condition.acquire();
		condition.signal();
		first.cancel(false);
		condition.release();
		assertThat(first).isCancelled();
		condition.release();
		assertThat(second).isCompleted();
	}

	@Test
	void unsignalledWaiterThatIsCancelledDoesNotWakeAnother() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> first = condition.await();
		condition.acquire();
		CompletableFuture<Void> second = condition.await();
		first.cancel(false);
		assertThat(first).isCancelled();
		condition.release();
		assertThat(second).isNotDone();
	}

	@Test
	void timedAwaitCompletesWithFalseHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Boolean> waiter = condition.await(Duration.ofMillis(10));
		assertThat(waiter).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
		assertThat(condition.isLocked()).isTrue();
		assertThat(condition.queueLength()).isZero();
	}

	@Test
	void timedAwaitSignalledInTimeCompletesWithTrue() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Boolean> waiter = condition.await(Duration.ofSeconds(30));
		condition.acquire();
		condition.signal();
		condition.release();
		assertThat(waiter).isCompletedWithValue(true);
	}

	@Test
	void failureRequestedWhileTheLockIsTakenEndsTheWaitOnlyOnceTheLockIsHeld() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await();
		condition.acquire();
		AtomicInteger lockedWhenDone = new AtomicInteger(-1);
		waiter.whenComplete((v, ex) -> lockedWhenDone.set(condition.isLocked() ? 1 : 0));
		// what orTimeout does when its time is up
		assertThat(waiter.completeExceptionally(new TimeoutException())).isTrue();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).isCompletedExceptionally();
		assertThat(waiter.handle((v, ex) -> ex).join()).isInstanceOf(AcquireTimeoutException.class)
			.hasMessage("Condition 'account': wait timed out");
		assertThat(lockedWhenDone).hasValue(1);
	}

	@Test
	void orTimeoutEndsAnUnsignalledWaitHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		condition.acquire();
		CompletableFuture<Void> waiter = condition.await().orTimeout(5, TimeUnit.MILLISECONDS);
		assertThat(waiter).failsWithin(Duration.ofSeconds(5));
		assertThat(condition.isLocked()).isTrue();
		assertThat(condition.queueLength()).isZero();
	}

	@Test
	void awaitUntilChecksThePredicateFirstWithoutTheLock() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.awaitUntil(() -> true)).isCompleted();
		assertThat(condition.isLocked()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> condition.awaitUntil(() -> false));
	}

	@Test
	void awaitUntilRechecksAfterEachSignal() {
		AsyncCondition condition = createCondition("account");
		int[] balance = { 0 };
		condition.acquire();
		CompletableFuture<Void> withdrawal = condition.awaitUntil(() -> balance[0] >= 100);
		for (int deposit = 0; deposit < 4; deposit++) {
			condition.acquire();
			balance[0] += 30;
			condition.signalAll();
			condition.release();
			if (deposit < 3) {
				assertThat(withdrawal).isNotDone();
				assertThat(condition.queueLength()).isEqualTo(1);
			}
		}
		assertThat(withdrawal).isCompleted();
		assertThat(condition.isLocked()).isTrue();
		assertThat(balance[0]).isEqualTo(120);
	}

	@Test
	void awaitUntilWhosePredicateThrowsFailsHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		boolean[] armed = { false };
		condition.acquire();
		CompletableFuture<Void> waiter = condition.awaitUntil(() -> {
			if (armed[0]) {
				throw new IllegalStateException("boom");
			}
			return false;
		});
		condition.acquire();
		armed[0] = true;
		condition.signal();
		condition.release();
		assertThat(waiter).isCompletedExceptionally();
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void waiterWhosePredicateThrowsAfterASignalPassesTheSignalOn() {
		AsyncCondition condition = createCondition("account");
		boolean[] armed = { false };
		condition.acquire();
		CompletableFuture<Void> failing = condition.awaitUntil(() -> {
			if (armed[0]) {
				throw new IllegalStateException("boom");
			}
			return false;
		});
		condition.acquire();
		CompletableFuture<Void> other = condition.await();
		condition.acquire();
		armed[0] = true;
		condition.signal(1);
		condition.release();
		assertThat(failing).isCompletedExceptionally();
		condition.release();
		assertThat(other).isCompleted();
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
	void conditionsSharingALockSeeTheSameState() {
		AsyncLock lock = AsyncLock.create("shared");
		AsyncCondition first = createCondition("first", lock);
		AsyncCondition second = createCondition("second", lock);
		first.acquire();
		assertThat(lock.isLocked()).isTrue();
		assertThat(second.isLocked()).isTrue();
		assertThat(second.lock()).isSameAs(lock);
		second.release();
		assertThat(first.isLocked()).isFalse();
	}

	@Test
	void stateShowsTheLockAndTheWaitersForASignal() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.kind()).isEqualTo(PrimitiveKind.CONDITION);
		assertThat(condition.state()).isEqualTo(PrimitiveState.condition("account", false, 0));
		assertThat(condition.acquire()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.state()).isEqualTo(PrimitiveState.condition("account", true, 0));
		condition.await();
		assertThat(condition.state()).isEqualTo(PrimitiveState.condition("account", false, 1));
		assertThat(condition.state().locked()).contains(false);
		assertThat(condition.state().parties()).isEmpty();
	}

	@Test
	void asynchronousFormsDoWhatTheSynchronousOnesDoAndFailInsteadOfThrowing() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.signalAsync()).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Condition 'account': cannot notify on un-acquired lock");
		assertThat(condition.signalAllAsync()).failsWithin(Duration.ofSeconds(5));
		assertThat(condition.tryAcquireAsync()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(true);
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		waiters.add(condition.await());
		for (int i = 0; i < 3; i++) {
			assertThat(condition.acquire()).succeedsWithin(Duration.ofSeconds(5));
			waiters.add(condition.await());
		}
		assertThat(condition.acquire()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.signalAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.signalAsync(2)).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.queueLength()).isEqualTo(1);
		assertThat(condition.signalAllAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.queueLength()).isZero();
		for (CompletableFuture<Void> waiter : waiters) {
			assertThat(condition.releaseAsync()).succeedsWithin(Duration.ofSeconds(5));
			assertThat(waiter).succeedsWithin(Duration.ofSeconds(5));
		}
		assertThat(condition.releaseAsync()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.releaseAsync()).failsWithin(Duration.ofSeconds(5));
	}
}
