package io.github.lockstep;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.lockstep.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test backend does hand off asynchronously: a grant's continuations run on its delivery
 * thread, never on the thread that released; so the contract suites that pass against it do not
 * lean on a synchronous hand-off.
 */
class AsyncHandOffPrimitivesTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@AfterEach
	void close() {
		this.primitives.close();
	}

	@Test
	void aReleasedLockIsHandedOverOnTheDeliveryThread() {
		AsyncLock lock = this.primitives.lock("inventory");
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<String> grantedOn = lock.acquire().thenApply((held) -> Thread.currentThread().getName());
		lock.release();
		assertThat(grantedOn).succeedsWithin(WAIT).isEqualTo("async-hand-off");
	}

	@Test
	void everyKindCompletesItsFuturesOnTheDeliveryThread() {
		AsyncEvent event = this.primitives.event("cache-warm");
		CompletableFuture<String> woken = event.await().thenApply((set) -> Thread.currentThread().getName());
		event.set();
		assertThat(woken).succeedsWithin(WAIT).isEqualTo("async-hand-off");

		AsyncBarrier barrier = this.primitives.barrier("batch", 2);
		CompletableFuture<String> tripped = barrier.await().thenApply((index) -> Thread.currentThread().getName());
		barrier.await();
		assertThat(tripped).succeedsWithin(WAIT).isEqualTo("async-hand-off");

		AsyncSemaphore semaphore = this.primitives.semaphore("pool", 0, false);
		CompletableFuture<String> permit = semaphore.acquire().thenApply((granted) -> Thread.currentThread().getName());
		semaphore.release();
		assertThat(permit).succeedsWithin(WAIT).isEqualTo("async-hand-off");

		AsyncCondition condition = this.primitives.condition("account");
		assertThat(condition.tryAcquire()).isTrue();
		CompletableFuture<String> signalled = condition.await().thenApply((held) -> Thread.currentThread().getName());
		assertThat(condition.tryAcquire()).isTrue();
		condition.signal();
		condition.release();
		assertThat(signalled).succeedsWithin(WAIT).isEqualTo("async-hand-off");
	}

}
