package io.github.lockstep;

import java.util.concurrent.CompletableFuture;

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

	@Test
	void holdOfAFreeLockIsCompleteOnReturnAndNeverLost() {
		AsyncLock lock = createLock("inventory");
		CompletableFuture<Hold> acquired = lock.acquireHold();
		assertThat(acquired).isCompleted();
		Hold hold = acquired.join();
		assertThat(hold).hasToString("Hold of Lock 'inventory' [fencing token " + hold.fencingToken() + ", valid]");
		hold.release();
		assertThat(hold.lost().toCompletableFuture()).isNotDone();
		assertThat(hold).hasToString("Hold of Lock 'inventory' [fencing token " + hold.fencingToken() + ", released]");
	}

	@Test
	void holdGrantedToAFutureThatWasEndedMeanwhileIsReleasedAgain() {
		AsyncLock lock = createLock("inventory");
		lock.acquire();
		CompletableFuture<Hold> waiting = lock.acquireHold();
		// an end that does not fail the future, so the wait is not withdrawn: the grant finds it done
		waiting.complete(null);
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

}
