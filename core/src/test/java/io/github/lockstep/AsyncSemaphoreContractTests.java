package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static io.github.lockstep.Waits.WAIT;
import static io.github.lockstep.Waits.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What every {@link AsyncSemaphore} promises, run against each implementation by a subclass. A
 * future an implementation completes is waited for ({@code succeedsWithin}): a backend may
 * complete it on another thread a moment after the call that decided it returned. The in-memory
 * semaphore's synchronous hand-off is tested in {@link InMemorySemaphoreTests}.
 */
public abstract class AsyncSemaphoreContractTests {

	/**
	 * Creates the plain semaphore under test.
	 * @param name its name
	 * @param permits its initial permits
	 * @return a new semaphore
	 */
	protected abstract AsyncSemaphore createSemaphore(String name, int permits);

	/**
	 * Creates the bounded semaphore under test.
	 * @param name its name
	 * @param permits its initial and maximum permits
	 * @return a new bounded semaphore
	 */
	protected abstract AsyncSemaphore createBounded(String name, int permits);

	@Test
	void acquiresUpToThePermitsThenQueues() {
		AsyncSemaphore semaphore = createSemaphore("pool", 2);
		assertThat(semaphore.acquire()).succeedsWithin(WAIT);
		assertThat(semaphore.isLocked()).isFalse();
		assertThat(semaphore.tryAcquire()).isTrue();
		assertThat(semaphore.isLocked()).isTrue();
		assertThat(semaphore.availablePermits()).isZero();
		CompletableFuture<Void> waiter = semaphore.acquire();
		assertThat(waiter).isNotDone();
		assertThat(semaphore.queueLength()).isEqualTo(1);
		semaphore.release();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(semaphore.availablePermits()).isZero();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void releasesServeWaitersInArrivalOrder() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		Queue<Integer> order = new ConcurrentLinkedQueue<>();
		List<CompletableFuture<Void>> served = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			int position = i;
			served.add(semaphore.acquire().thenRun(() -> order.add(position)));
		}
		for (int i = 0; i < 5; i++) {
			semaphore.release();
		}
		assertThat(CompletableFuture.allOf(served.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
		assertThat(order).containsExactly(0, 1, 2, 3, 4);
	}

	@Test
	void isLockedWhileALiveWaiterIsQueuedEvenWithoutPermitsMissing() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		assertThat(semaphore.isLocked()).isTrue();
		waiter.cancel(false);
		assertThat(semaphore.isLocked()).isTrue(); // still no permit
		semaphore.release();
		assertThat(semaphore.isLocked()).isFalse();
		assertThat(semaphore.availablePermits()).isEqualTo(1);
	}

	@Test
	void plainSemaphoreMayBeReleasedAboveItsInitialValue() {
		AsyncSemaphore semaphore = createSemaphore("pool", 1);
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
		assertThat(semaphore.isBounded()).isFalse();
	}

	@Test
	void boundedSemaphoreRefusesOverRelease() {
		AsyncSemaphore semaphore = createBounded("payment-api", 2);
		assertThat(semaphore.isBounded()).isTrue();
		done(semaphore.acquire());
		semaphore.release();
		assertThatIllegalStateException().isThrownBy(semaphore::release)
			.withMessage("Semaphore 'payment-api': BoundedSemaphore released too many times");
		assertThat(semaphore.availablePermits()).isEqualTo(2);
	}

	@Test
	void boundedSemaphoreOfZeroRefusesEveryRelease() {
		AsyncSemaphore semaphore = createBounded("none", 0);
		assertThatIllegalStateException().isThrownBy(semaphore::release)
			.withMessage("Semaphore 'none': BoundedSemaphore released too many times");
		assertThat(semaphore.availablePermits()).isZero();
	}

	@Test
	void boundedSemaphoreOfZeroRefusesAReleaseEvenWithWaitersQueued() {
		// asyncio's BoundedSemaphore(0): nobody can hold a permit, so no release is legal; a
		// hand-off would make one holder where the bound allows none
		AsyncSemaphore semaphore = createBounded("none", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		assertThatIllegalStateException().isThrownBy(semaphore::release)
			.withMessage("Semaphore 'none': BoundedSemaphore released too many times");
		assertThat(waiter).isNotDone();
		assertThat(semaphore.queueLength()).isEqualTo(1);
		assertThat(semaphore.availablePermits()).isZero();
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void boundedSemaphoreWithWaitersQueuedHandsOffUpToTheBound() {
		// a bounded release is legal only while a holder exists: with waiters queued every permit
		// is held, so each of the bound's holders may release once, and the hand-offs keep the
		// number of holders at the bound
		AsyncSemaphore semaphore = createBounded("payment-api", 2);
		done(semaphore.acquire());
		done(semaphore.acquire());
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			waiters.add(semaphore.acquire());
		}
		semaphore.release();
		semaphore.release();
		assertThat(waiters.get(0)).succeedsWithin(WAIT);
		assertThat(waiters.get(1)).succeedsWithin(WAIT);
		assertThat(waiters.get(2)).isNotDone();
		semaphore.release();
		assertThat(waiters.get(2)).succeedsWithin(WAIT);
		semaphore.release();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
		assertThatIllegalStateException().isThrownBy(semaphore::release);
	}

	@Test
	void boundedSemaphoreHandsOffWithoutCountingTheGrantAsFree() {
		AsyncSemaphore semaphore = createBounded("payment-api", 1);
		done(semaphore.acquire());
		CompletableFuture<Void> waiter = semaphore.acquire();
		semaphore.release();
		assertThat(waiter).succeedsWithin(WAIT);
		semaphore.release();
		assertThatIllegalStateException().isThrownBy(semaphore::release);
	}

	@Test
	void negativePermitsAreRefusedNamingTheSemaphore() {
		assertThatIllegalArgumentException().isThrownBy(() -> createSemaphore("pool", -1))
			.withMessage("Semaphore 'pool': initial value must be >= 0, but was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> createBounded("pool", -1));
	}

	@Test
	void cancelledWaiterIsSkippedAndThePermitGoesToTheNextLiveOne() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		CompletableFuture<Void> first = semaphore.acquire();
		CompletableFuture<Void> second = semaphore.acquire();
		assertThat(first.cancel(false)).isTrue();
		semaphore.release();
		assertThat(second).succeedsWithin(WAIT);
		assertThat(semaphore.availablePermits()).isZero();
	}

	@Test
	void cancelAfterTheGrantKeepsThePermitWithTheCaller() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		semaphore.release();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(semaphore.availablePermits()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(1);
	}

	@Test
	void timedOutWaiterNeverHoldsAPermit() {
		AsyncSemaphore semaphore = createSemaphore("pool", 0);
		CompletableFuture<Void> timed = semaphore.acquire(Duration.ofMillis(10));
		assertThat(timed).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Semaphore 'pool'");
		semaphore.release();
		assertThat(semaphore.availablePermits()).isEqualTo(1);
	}

	@Test
	void withPermitLimitsConcurrentActions() {
		AsyncSemaphore semaphore = createSemaphore("pool", 2);
		List<CompletableFuture<String>> works = new ArrayList<>();
		List<CompletableFuture<String>> results = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			CompletableFuture<String> work = new CompletableFuture<>();
			works.add(work);
			results.add(semaphore.withPermit(() -> work));
		}
		assertThat(semaphore.queueLength()).isEqualTo(2);
		works.get(0).complete("a");
		assertThat(results.get(0)).succeedsWithin(WAIT).isEqualTo("a");
		assertThat(semaphore.queueLength()).isEqualTo(1);
		works.get(1).completeExceptionally(new IllegalStateException("b"));
		assertThat(results.get(1)).failsWithin(WAIT);
		assertThat(semaphore.queueLength()).isZero();
		works.get(2).complete("c");
		works.get(3).complete("d");
		assertThat(results.get(2)).succeedsWithin(WAIT).isEqualTo("c");
		assertThat(results.get(3)).succeedsWithin(WAIT).isEqualTo("d");
		assertThat(semaphore.availablePermits()).isEqualTo(2);
	}

	@Test
	void stateShowsThePermitsAndTheWaiters() {
		AsyncSemaphore semaphore = createBounded("payment-api", 2);
		assertThat(semaphore.kind()).isEqualTo(PrimitiveKind.SEMAPHORE);
		assertThat(semaphore.state()).isEqualTo(PrimitiveState.semaphore("payment-api", 2, true, 2, 0));
		assertThat(semaphore.acquire()).succeedsWithin(WAIT);
		PrimitiveState oneTaken = semaphore.state();
		assertThat(oneTaken.availablePermits()).hasValue(1);
		assertThat(oneTaken.permits()).hasValue(2);
		assertThat(oneTaken.bounded()).contains(true);
		assertThat(oneTaken.locked()).contains(false);
		assertThat(semaphore.acquire()).succeedsWithin(WAIT);
		CompletableFuture<Void> waiter = semaphore.acquire();
		assertThat(semaphore.state()).isEqualTo(PrimitiveState.semaphore("payment-api", 2, true, 0, 1));
		assertThat(semaphore.state().locked()).contains(true);
		waiter.cancel(false);
		assertThat(semaphore.state()).isEqualTo(PrimitiveState.semaphore("payment-api", 2, true, 0, 0));
		semaphore.release();
		semaphore.release();
		assertThat(semaphore.state()).isEqualTo(PrimitiveState.semaphore("payment-api", 2, true, 2, 0));
	}

	@Test
	void stateOfAPlainSemaphoreKeepsItsInitialPermitsWhenReleasedAbove() {
		AsyncSemaphore semaphore = createSemaphore("pool", 1);
		semaphore.release();
		assertThat(semaphore.state()).isEqualTo(PrimitiveState.semaphore("pool", 1, false, 2, 0));
	}

	@Test
	void asynchronousFormsDoWhatTheSynchronousOnesDoAndFailInsteadOfThrowing() {
		AsyncSemaphore semaphore = createBounded("payment-api", 1);
		assertThat(semaphore.tryAcquireAsync()).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(semaphore.tryAcquireAsync()).succeedsWithin(WAIT).isEqualTo(false);
		CompletableFuture<Void> waiter = semaphore.acquire();
		assertThat(semaphore.releaseAsync()).succeedsWithin(WAIT);
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(semaphore.releaseAsync()).succeedsWithin(WAIT);
		assertThat(semaphore.availablePermits()).isEqualTo(1);
		assertThat(semaphore.releaseAsync()).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("Semaphore 'payment-api': BoundedSemaphore released too many times");
	}

	@Test
	void holdsArePermitsWithDistinctIncreasingFencingTokens() {
		AsyncSemaphore semaphore = createBounded("payment-api", 2);
		Hold first = done(semaphore.acquireHold());
		Hold second = done(semaphore.acquireHold(WAIT));
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(semaphore.availablePermits()).isZero();
		CompletableFuture<Hold> third = semaphore.acquireHold();
		assertThat(third).isNotDone();
		first.release();
		assertThat(third).succeedsWithin(WAIT)
			.matches((hold) -> hold.fencingToken() > second.fencingToken(), "has a token above the earlier ones");
		assertThatIllegalStateException().isThrownBy(first::release);
		second.release();
		done(third).release();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
		assertThatIllegalStateException().as("all permits are back").isThrownBy(semaphore::release);
	}

}
