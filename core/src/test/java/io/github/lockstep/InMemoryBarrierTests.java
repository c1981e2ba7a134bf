package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncBarrier} contract against {@link AsyncBarrier#create(String, int)}, plus
 * what the in-memory barrier promises beyond it: a round's waiters completed before the tripping
 * {@code await()} returns.
 */
class InMemoryBarrierTests extends AsyncBarrierContractTests {

	@Override
	protected AsyncBarrier createBarrier(String name, int parties) {
		return AsyncBarrier.create(name, parties);
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
