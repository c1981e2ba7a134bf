package io.github.lockstep;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the {@link AsyncLock} contract against {@link AsyncLock#create(String)}, plus what the
 * in-memory lock promises beyond it: a synchronous hand-off.
 */
class InMemoryLockTests extends AsyncLockContractTests {

	@Override
	protected AsyncLock createLock(String name) {
		return AsyncLock.create(name);
	}

	@Test
	void asynchronousFormsAreCompleteOnReturn() {
		AsyncLock lock = createLock("inventory");
		assertThat(lock.tryAcquireAsync()).isCompletedWithValue(true);
		assertThat(lock.releaseAsync()).isCompleted();
		assertThat(lock.releaseAsync()).isCompletedExceptionally();
	}

}
