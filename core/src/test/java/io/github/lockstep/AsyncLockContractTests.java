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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What every {@link AsyncLock} promises, run against each implementation by a subclass. A future
 * an implementation completes is waited for ({@code succeedsWithin}): a backend may complete it on
 * another thread a moment after the call that decided it returned. The in-memory lock's
 * synchronous hand-off is tested in {@link InMemoryLockTests}.
 */
public abstract class AsyncLockContractTests {

	/**
	 * Creates the lock under test.
	 * @param name its name
	 * @return a new, unlocked lock
	 */
	protected abstract AsyncLock createLock(String name);

	@Test
	void acquireWhenFreeCompletesAndLocks() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void releaseHandsTheLockToTheFirstWaiter() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<Void> first = lock.acquire();
		CompletableFuture<Void> second = lock.acquire();
		assertThat(first).isNotDone();
		assertThat(lock.queueLength()).isEqualTo(2);
		lock.release();
		assertThat(first).succeedsWithin(WAIT);
		assertThat(second).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(1);
	}

	@Test
	void newcomerCannotBargePastAGrantedWaiter() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<Void> waiter = lock.acquire();
		lock.release();
		assertThat(lock.tryAcquire()).isFalse();
		assertThat(lock.acquire()).isNotDone();
		assertThat(waiter).succeedsWithin(WAIT);
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
		done(lock.acquire());
		CompletableFuture<Void> cancelled = lock.acquire();
		CompletableFuture<Void> next = lock.acquire();
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(cancelled).isCancelled();
		assertThat(cancelled.handle((v, ex) -> ex).join()).isInstanceOf(CancellationException.class)
			.hasMessage("Lock 'inventory': wait cancelled");
		assertThat(lock.queueLength()).isEqualTo(1);
		lock.release();
		assertThat(next).succeedsWithin(WAIT);
	}

	@Test
	void cancelAfterTheGrantReturnsFalseAndTheCallerHoldsTheLock() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<Void> waiter = lock.acquire();
		lock.release();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(lock.isLocked()).isTrue();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void timedAcquireFailsWithAcquireTimeoutExceptionAndLeavesNothingBehind() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<Void> timed = lock.acquire(Duration.ofMillis(20));
		assertThat(timed).failsWithin(WAIT)
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
		assertThat(lock.acquire(Duration.ZERO)).succeedsWithin(WAIT);
		assertThat(lock.acquire(Duration.ZERO)).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class);
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void orTimeoutOnAQueuedAcquireWithdrawsItWithAcquireTimeoutException() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<Void> timed = lock.acquire().orTimeout(10, TimeUnit.MILLISECONDS);
		assertThat(timed).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Lock 'inventory': wait timed out");
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void completeIsRefusedOnAQueuedWait() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
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
		CompletableFuture<Void> running = new CompletableFuture<>();
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			running.complete(null);
			return work;
		});
		assertThat(running).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isTrue();
		work.complete("done");
		assertThat(result).succeedsWithin(WAIT).isEqualTo("done");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockReleasesWhenTheActionThrows() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<String> result = lock.withLock(() -> {
			throw new IllegalArgumentException("boom");
		});
		assertThat(result).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("boom");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void withLockCancelledWhileWaitingGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		List<String> ran = new ArrayList<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			ran.add("action");
			return CompletableFuture.completedFuture("x");
		});
		assertThat(lock.queueLength()).isEqualTo(1);
		result.cancel(false);
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(ran).isEmpty();
	}

	@Test
	void withLockTimedOutWhileWaitingGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		CompletableFuture<String> result = lock.withLock(() -> CompletableFuture.completedFuture("x"));
		assertThat(lock.queueLength()).isEqualTo(1);
		result.completeExceptionally(new TimeoutException()); // what orTimeout does
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	// In the three tests below the action has been called when the test goes on, but the lock may
	// wire the end of the caller's future to the action's stage a moment later, on its own thread:
	// so the ends are waited for, and a free lock is shown by an acquisition that succeeds.

	@Test
	void withLockFailedWhileRunningPassesTheEndToTheStage() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Void> running = new CompletableFuture<>();
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			running.complete(null);
			return work;
		});
		assertThat(running).succeedsWithin(WAIT);
		result.completeExceptionally(new TimeoutException());
		assertThat(work).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
		assertThat(lock.acquire()).succeedsWithin(WAIT);
	}

	@Test
	void withLockCancelledWhileRunningKeepsTheLockUntilTheStageEnds() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Void> running = new CompletableFuture<>();
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			running.complete(null);
			return work;
		});
		assertThat(running).succeedsWithin(WAIT);
		result.cancel(false);
		// cancellation reaches the action's own stage, which ends, so the lock is back
		assertThat(work).failsWithin(WAIT).withThrowableOfType(CancellationException.class);
		assertThat(lock.acquire()).succeedsWithin(WAIT);
	}

	@Test
	void withLockCancelledWhileRunningAnUncancellableStageReleasesWhenItEnds() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Void> running = new CompletableFuture<>();
		CompletableFuture<String> work = new CompletableFuture<>();
		CompletableFuture<String> result = lock.withLock(() -> {
			running.complete(null);
			return work.minimalCompletionStage();
		});
		assertThat(running).succeedsWithin(WAIT);
		result.cancel(false);
		CompletableFuture<Void> next = lock.acquire();
		assertThat(next).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		work.complete("late");
		assertThat(next).succeedsWithin(WAIT);
	}

	/**
	 * How many queued acquisitions {@link #continuationsThatReleaseDoNotGrowTheStack()} chains. A
	 * backend whose every hand-off is a network round trip may take fewer: ten thousand nested
	 * completions would already overflow a thread's stack, and a hundred thousand round trips
	 * take longer than the test's 30 s on a loaded machine.
	 * @return the length of the chain
	 */
	protected int continuationChainLength() {
		return 100_000;
	}

	@Test
	void continuationsThatReleaseDoNotGrowTheStack() {
		AsyncLock lock = createLock("inventory");
		done(lock.acquire());
		int chain = continuationChainLength();
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
		assertThat(CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)))
			.succeedsWithin(Duration.ofSeconds(30));
		assertThat(served[0]).isEqualTo(chain);
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void stateShowsWhetherLockedAndTheWaiters() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.kind()).isEqualTo(PrimitiveKind.LOCK);
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", false, 0));
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		CompletableFuture<Void> waiter = lock.acquire();
		PrimitiveState state = lock.state();
		assertThat(state).isEqualTo(PrimitiveState.lock("inventory", true, 1));
		assertThat(state.kind()).isEqualTo(PrimitiveKind.LOCK);
		assertThat(state.locked()).contains(true);
		assertThat(state.availablePermits()).isEmpty();
		assertThat(state.set()).isEmpty();
		lock.release();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", true, 0));
		lock.release();
		assertThat(lock.state()).isEqualTo(PrimitiveState.lock("inventory", false, 0));
	}

	@Test
	void asynchronousFormsDoWhatTheSynchronousOnesDoAndFailInsteadOfThrowing() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.tryAcquireAsync()).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.tryAcquireAsync()).succeedsWithin(WAIT).isEqualTo(false);
		assertThat(lock.releaseAsync()).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.releaseAsync()).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Lock 'inventory': Lock is not acquired.");
	}

	@Test
	void holdsCarryIncreasingFencingTokensAndReleaseTheLockOnce() {
		AsyncLock lock = createLock("inventory");
		Hold first = done(lock.acquireHold());
		assertThat(first.primitive()).isSameAs(lock);
		assertThat(first.isValid()).isTrue();
		assertThat(first.fencingToken()).isPositive();
		assertThat(first.lost().toCompletableFuture()).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		CompletableFuture<Hold> next = lock.acquireHold();
		assertThat(next).isNotDone();
		first.release();
		assertThat(first.isValid()).isFalse();
		Hold second = done(next);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThatIllegalStateException().isThrownBy(first::release)
			.withMessage("Lock 'inventory': the hold with fencing token " + first.fencingToken()
					+ " was already released");
		assertThat(lock.isLocked()).as("a second release of a hold releases nothing").isTrue();
		assertThat(first.releaseAsync()).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class);
		assertThat(second.releaseAsync()).succeedsWithin(WAIT);
		assertThat(second.isValid()).isFalse();
		assertThat(lock.isLocked()).isFalse();
		assertThat(done(lock.acquireHold()).fencingToken()).isGreaterThan(second.fencingToken());
	}

	@Test
	void holdAcquisitionCancelledWhileQueuedGivesUpItsPlace() {
		AsyncLock lock = createLock("inventory");
		Hold holder = done(lock.acquireHold());
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
		Hold holder = done(lock.acquireHold(Duration.ZERO));
		assertThat(lock.acquireHold(Duration.ofMillis(10))).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage("Lock 'inventory': wait timed out after 10ms");
		assertThat(lock.queueLength()).isZero();
		holder.release();
		assertThat(lock.isLocked()).isFalse();
	}

}
