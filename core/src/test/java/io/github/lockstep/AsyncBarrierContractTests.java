package io.github.lockstep;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static io.github.lockstep.Waits.WAIT;
import static io.github.lockstep.Waits.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What every {@link AsyncBarrier} promises, run against each implementation by a subclass. A
 * future an implementation completes is waited for ({@code succeedsWithin}): a backend may
 * complete it on another thread a moment after the call that decided it returned. The in-memory
 * barrier's completion of a round before the tripping {@code await()} returns is tested in
 * {@link InMemoryBarrierTests}.
 */
public abstract class AsyncBarrierContractTests {

	/**
	 * Creates the barrier under test.
	 * @param name its name
	 * @param parties the callers a round needs
	 * @return a new barrier
	 */
	protected abstract AsyncBarrier createBarrier(String name, int parties);

	@Test
	void tripsWhenTheLastPartyArrivesWithIndicesInArrivalOrder() {
		AsyncBarrier barrier = createBarrier("batch", 3);
		CompletableFuture<Integer> first = barrier.await();
		CompletableFuture<Integer> second = barrier.await();
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		assertThat(first).isNotDone();
		CompletableFuture<Integer> last = barrier.await();
		assertThat(first).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(second).succeedsWithin(WAIT).isEqualTo(1);
		assertThat(last).succeedsWithin(WAIT).isEqualTo(2);
		assertThat(barrier.numberWaiting()).isZero();
	}

	@Test
	void isCyclic() {
		AsyncBarrier barrier = createBarrier("batch", 2);
		for (int round = 0; round < 3; round++) {
			CompletableFuture<Integer> first = barrier.await();
			assertThat(barrier.await()).succeedsWithin(WAIT).isEqualTo(1);
			assertThat(first).succeedsWithin(WAIT).isEqualTo(0);
		}
	}

	@Test
	void cancelledWaiterLeavesWithoutBreakingAndIndicesStayUnique() {
		// gh-155233: Barrier(3), A and B wait, A is cancelled, C and D arrive
		AsyncBarrier barrier = createBarrier("batch", 3);
		CompletableFuture<Integer> a = barrier.await();
		CompletableFuture<Integer> b = barrier.await();
		assertThat(a.cancel(false)).isTrue();
		assertThat(barrier.numberWaiting()).isEqualTo(1);
		assertThat(barrier.isBroken()).isFalse();
		CompletableFuture<Integer> c = barrier.await();
		CompletableFuture<Integer> d = barrier.await();
		assertThat(List.of(done(b), done(c), done(d))).containsExactly(0, 1, 2);
	}

	@Test
	void timedOutWaiterLeavesWithoutBreaking() {
		AsyncBarrier barrier = createBarrier("batch", 2);
		CompletableFuture<Integer> timed = barrier.await(Duration.ofMillis(10));
		assertThat(timed).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessageContaining("Barrier 'batch'");
		assertThat(barrier.isBroken()).isFalse();
		assertThat(barrier.numberWaiting()).isZero();
	}

	@Test
	void abortBreaksCurrentAndLaterWaitersUntilReset() {
		AsyncBarrier barrier = createBarrier("batch", 3);
		CompletableFuture<Integer> waiting = barrier.await();
		barrier.abort();
		assertThat(barrier.isBroken()).isTrue();
		assertThat(waiting).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BarrierBrokenException.class)
			.withMessage("Barrier 'batch': Abort or reset of barrier");
		assertThat(barrier.await()).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("Barrier 'batch': Barrier aborted");
		barrier.reset();
		assertThat(barrier.isBroken()).isFalse();
		assertThat(barrier.await()).isNotDone();
	}

	@Test
	void resetBreaksCurrentWaitersAndKeepsTheBarrierUsable() {
		AsyncBarrier barrier = createBarrier("batch", 2);
		CompletableFuture<Integer> waiting = barrier.await();
		barrier.reset();
		assertThat(waiting).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BarrierBrokenException.class);
		assertThat(barrier.isBroken()).isFalse();
		CompletableFuture<Integer> first = barrier.await();
		barrier.await();
		assertThat(first).succeedsWithin(WAIT).isEqualTo(0);
	}

	@Test
	void singlePartyBarrierPassesWithoutWaiting() {
		AsyncBarrier barrier = createBarrier("solo", 1);
		assertThat(barrier.await()).succeedsWithin(WAIT).isEqualTo(0);
		assertThat(barrier.await(Duration.ZERO)).succeedsWithin(WAIT).isEqualTo(0);
	}

	@Test
	void partiesMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> createBarrier("batch", 0))
			.withMessage("Barrier 'batch': parties must be >= 1, but was 0");
	}

	@Test
	void stateShowsThePartiesTheWaitersAndWhetherBroken() {
		AsyncBarrier barrier = createBarrier("batch", 3);
		assertThat(barrier.kind()).isEqualTo(PrimitiveKind.BARRIER);
		assertThat(barrier.state()).isEqualTo(PrimitiveState.barrier("batch", 3, false, 0));
		CompletableFuture<Integer> waiting = barrier.await();
		assertThat(barrier.state()).isEqualTo(PrimitiveState.barrier("batch", 3, false, 1));
		assertThat(barrier.state().parties()).hasValue(3);
		assertThat(barrier.state().locked()).isEmpty();
		barrier.abort();
		assertThat(waiting).failsWithin(WAIT);
		assertThat(barrier.state()).isEqualTo(PrimitiveState.barrier("batch", 3, true, 0));
		assertThat(barrier.state().broken()).contains(true);
	}

	@Test
	void asynchronousFormsAbortAndReset() {
		AsyncBarrier barrier = createBarrier("batch", 2);
		CompletableFuture<Integer> waiting = barrier.await();
		assertThat(barrier.abortAsync()).succeedsWithin(WAIT);
		assertThat(waiting).failsWithin(WAIT);
		assertThat(barrier.isBroken()).isTrue();
		assertThat(barrier.resetAsync()).succeedsWithin(WAIT);
		assertThat(barrier.isBroken()).isFalse();
	}

}
