package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncCondition} contract against the in-memory factories, plus what the
 * in-memory condition promises beyond it: a synchronous hand-off of its lock.
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
