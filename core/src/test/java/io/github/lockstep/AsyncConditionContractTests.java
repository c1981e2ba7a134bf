package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import static io.github.lockstep.Waits.WAIT;
import static io.github.lockstep.Waits.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What every {@link AsyncCondition} promises, run against each implementation by a subclass. A
 * future an implementation completes is waited for ({@code succeedsWithin}): a backend may
 * complete it on another thread a moment after the call that decided it returned; so a test that
 * releases a lock on behalf of a waiter first waits until the waiter holds it. What the in-memory
 * condition adds is tested in {@link InMemoryConditionTests}.
 */
public abstract class AsyncConditionContractTests {

	/**
	 * Creates the condition under test, with a lock of its own.
	 * @param name its name
	 * @return a new condition
	 */
	protected abstract AsyncCondition createCondition(String name);

	/**
	 * Creates the condition under test over a lock of {@link #createLock(String)}.
	 * @param name its name
	 * @param lock the lock it releases and re-acquires
	 * @return a new condition
	 */
	protected abstract AsyncCondition createCondition(String name, AsyncLock lock);

	/**
	 * Creates a lock of the backend under test, for conditions that share one.
	 * @param name its name
	 * @return a new lock
	 */
	protected abstract AsyncLock createLock(String name);

	@Test
	void awaitReleasesTheLockAndCompletesHoldingItAfterSignal() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.await();
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.queueLength()).isEqualTo(1);
		done(condition.acquire());
		condition.signal();
		assertThat(waiter).isNotDone(); // the signaller still holds the lock
		assertThat(condition.queueLength()).isZero();
		condition.release();
		assertThat(waiter).succeedsWithin(WAIT);
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
			done(condition.acquire());
			waiters.add(condition.await());
		}
		done(condition.acquire());
		condition.signal(1);
		condition.signal(1);
		condition.signal(0);
		condition.signal(-5);
		assertThat(condition.queueLength()).isEqualTo(1);
		condition.release();
		assertThat(waiters.get(0)).succeedsWithin(WAIT);
		condition.release();
		assertThat(waiters.get(1)).succeedsWithin(WAIT);
		assertThat(waiters.get(2)).isNotDone();
	}

	@Test
	void cancelIsDeferredUntilTheLockIsHeldAgain() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.await();
		done(condition.acquire()); // someone else holds the lock now
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
		assertThat(waiter).isCancelled();
		assertThat(condition.isLocked()).isTrue();
		condition.release();
	}

	@Test
	void cancelAfterCompletionReturnsFalse() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.await();
		done(condition.acquire());
		condition.signal();
		condition.release();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void signalledWaiterThatIsCancelledPassesTheSignalOn() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> first = condition.await();
		done(condition.acquire());
		CompletableFuture<Void> second = condition.await();
		done(condition.acquire());
		condition.signal();
		first.cancel(false);
		condition.release();
		assertThat(first).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
		condition.release(); // the lock that the cancelled wait completed with
		assertThat(second).succeedsWithin(WAIT);
	}

	@Test
	void unsignalledWaiterThatIsCancelledDoesNotWakeAnother() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> first = condition.await();
		done(condition.acquire());
		CompletableFuture<Void> second = condition.await();
		first.cancel(false);
		assertThat(first).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
		assertThat(condition.queueLength()).isEqualTo(1);
		condition.release();
		assertThat(second).isNotDone();
		assertThat(condition.queueLength()).isEqualTo(1);
	}

	@Test
	void timedAwaitCompletesWithFalseHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Boolean> waiter = condition.await(Duration.ofMillis(10));
		assertThat(waiter).succeedsWithin(WAIT).isEqualTo(false);
		assertThat(condition.isLocked()).isTrue();
		assertThat(condition.queueLength()).isZero();
	}

	@Test
	void timedAwaitSignalledInTimeCompletesWithTrue() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Boolean> waiter = condition.await(Duration.ofSeconds(30));
		done(condition.acquire());
		condition.signal();
		condition.release();
		assertThat(waiter).succeedsWithin(WAIT).isEqualTo(true);
	}

	@Test
	void failureRequestedWhileTheLockIsTakenEndsTheWaitOnlyOnceTheLockIsHeld() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.await();
		done(condition.acquire());
		CompletableFuture<Boolean> lockedWhenDone = waiter.handle((v, ex) -> condition.isLocked());
		// what orTimeout does when its time is up
		assertThat(waiter.completeExceptionally(new TimeoutException())).isTrue();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Condition 'account': wait timed out");
		assertThat(lockedWhenDone).succeedsWithin(WAIT).isEqualTo(true);
	}

	@Test
	void orTimeoutEndsAnUnsignalledWaitHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.await().orTimeout(5, TimeUnit.MILLISECONDS);
		assertThat(waiter).failsWithin(WAIT);
		assertThat(condition.isLocked()).isTrue();
		assertThat(condition.queueLength()).isZero();
	}

	@Test
	void awaitUntilChecksThePredicateFirstWithoutTheLock() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.awaitUntil(() -> true)).succeedsWithin(WAIT);
		assertThat(condition.isLocked()).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> condition.awaitUntil(() -> false));
	}

	@Test
	void awaitUntilRechecksAfterEachSignal() {
		AsyncCondition condition = createCondition("account");
		int[] balance = { 0 };
		done(condition.acquire());
		CompletableFuture<Void> withdrawal = condition.awaitUntil(() -> balance[0] >= 100);
		for (int deposit = 0; deposit < 4; deposit++) {
			// granted once the waiter, signalled by the last deposit, checked and waits again
			done(condition.acquire());
			assertThat(withdrawal).isNotDone();
			assertThat(condition.queueLength()).isEqualTo(1);
			balance[0] += 30;
			condition.signalAll();
			condition.release();
		}
		assertThat(withdrawal).succeedsWithin(WAIT);
		assertThat(condition.isLocked()).isTrue();
		assertThat(balance[0]).isEqualTo(120);
	}

	@Test
	void awaitUntilWhosePredicateThrowsFailsHoldingTheLock() {
		AsyncCondition condition = createCondition("account");
		boolean[] armed = { false };
		done(condition.acquire());
		CompletableFuture<Void> waiter = condition.awaitUntil(() -> {
			if (armed[0]) {
				throw new IllegalStateException("boom");
			}
			return false;
		});
		done(condition.acquire());
		armed[0] = true;
		condition.signal();
		condition.release();
		assertThat(waiter).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("boom");
		assertThat(condition.isLocked()).isTrue();
	}

	@Test
	void waiterWhosePredicateThrowsAfterASignalPassesTheSignalOn() {
		AsyncCondition condition = createCondition("account");
		boolean[] armed = { false };
		done(condition.acquire());
		CompletableFuture<Void> failing = condition.awaitUntil(() -> {
			if (armed[0]) {
				throw new IllegalStateException("boom");
			}
			return false;
		});
		done(condition.acquire());
		CompletableFuture<Void> other = condition.await();
		done(condition.acquire());
		armed[0] = true;
		condition.signal(1);
		condition.release();
		assertThat(failing).failsWithin(WAIT);
		condition.release();
		assertThat(other).succeedsWithin(WAIT);
	}

	@Test
	void conditionsSharingALockSeeTheSameState() {
		AsyncLock lock = createLock("shared");
		AsyncCondition first = createCondition("first", lock);
		AsyncCondition second = createCondition("second", lock);
		assertThat(first.acquire()).succeedsWithin(WAIT);
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
		assertThat(condition.acquire()).succeedsWithin(WAIT);
		assertThat(condition.state()).isEqualTo(PrimitiveState.condition("account", true, 0));
		condition.await();
		assertThat(condition.state()).isEqualTo(PrimitiveState.condition("account", false, 1));
		assertThat(condition.state().locked()).contains(false);
		assertThat(condition.state().parties()).isEmpty();
	}

	@Test
	void asynchronousFormsDoWhatTheSynchronousOnesDoAndFailInsteadOfThrowing() {
		AsyncCondition condition = createCondition("account");
		assertThat(condition.signalAsync()).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Condition 'account': cannot notify on un-acquired lock");
		assertThat(condition.signalAllAsync()).failsWithin(WAIT);
		assertThat(condition.tryAcquireAsync()).succeedsWithin(WAIT).isEqualTo(true);
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		waiters.add(condition.await());
		for (int i = 0; i < 3; i++) {
			done(condition.acquire());
			waiters.add(condition.await());
		}
		done(condition.acquire());
		assertThat(condition.signalAsync()).succeedsWithin(WAIT);
		assertThat(condition.signalAsync(2)).succeedsWithin(WAIT);
		assertThat(condition.queueLength()).isEqualTo(1);
		assertThat(condition.signalAllAsync()).succeedsWithin(WAIT);
		assertThat(condition.queueLength()).isZero();
		for (CompletableFuture<Void> waiter : waiters) {
			assertThat(condition.releaseAsync()).succeedsWithin(WAIT);
			assertThat(waiter).succeedsWithin(WAIT);
		}
		assertThat(condition.releaseAsync()).succeedsWithin(WAIT);
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.releaseAsync()).failsWithin(WAIT);
	}

}
