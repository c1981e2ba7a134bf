package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncBarrier} contract against {@link AsyncBarrier#create(String, int)}, plus
 * what the in-memory barrier promises beyond it: a round's waiters are completed, in arrival
 * order, before the tripping {@code await()} returns, and {@code abort()} and {@code reset()}
 * break the waiters before they return.
 */
class InMemoryBarrierTests extends AsyncBarrierContractTests {

	@Override
	protected AsyncBarrier createBarrier(String name, int parties) {
		return AsyncBarrier.create(name, parties);
	}

	@Test
	void waitersAreCompletedBeforeTheTrippingAwaitReturns() {
		AsyncBarrier barrier = createBarrier("batch", 3);
		List<Integer> seen = new ArrayList<>();
		barrier.await().thenAccept(seen::add);
		barrier.await().thenAccept(seen::add);
		assertThat(barrier.await()).isCompletedWithValue(2);
		assertThat(seen).containsExactly(0, 1);
	}

	@Test
	void abortAndResetBreakTheWaitersBeforeReturning() {
		AsyncBarrier barrier = createBarrier("batch", 3);
		CompletableFuture<Integer> aborted = barrier.await();
		barrier.abort();
		assertThat(aborted).isCompletedExceptionally();
		assertThat(barrier.await()).isCompletedExceptionally();
		barrier.reset();
		CompletableFuture<Integer> reset = barrier.await();
		barrier.reset();
		assertThat(reset).isCompletedExceptionally();
	}

	@Test
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncBarrier barrier = createBarrier("batch", 2);
		assertThat(barrier.abortAsync()).isCompleted();
		assertThat(barrier.isBroken()).isTrue();
		assertThat(barrier.resetAsync()).isCompleted();
		assertThat(barrier.isBroken()).isFalse();
	}

}
