package io.github.lockstep;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million waiters: what they cost while queued, that cancelling them gives the memory back, and
 * that chains of a million continuations which release, set or signal run in order on a bounded
 * stack (SPEC §2: "A chain of 1,000,000 waiters that each release synchronously in their
 * continuation must not overflow the stack").
 *
 * <p>Sized for the default {@code mvn test} heap (a quarter of the machine's memory).
 */
class MemoryTests {

	private static final int WAITERS = 1_000_000;

	/** Everything one queued waiter may retain, the future included. */
	private static final long MAX_BYTES_PER_WAITER = 200;

	/** What may be left per waiter once all are cancelled and dropped: noise, not waiters. */
	private static final long MAX_BYTES_LEFT_PER_WAITER = 8;

	@Test
	void millionWaitersOnASemaphoreFitAndCancellingThemGivesTheMemoryBack() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("memory", 0);
		List<CompletableFuture<Void>> waiters = new ArrayList<>(WAITERS);
		long baseline = usedHeapAfterGc();
		for (int i = 0; i < WAITERS; i++) {
			waiters.add(semaphore.acquire());
		}
		long queued = usedHeapAfterGc();
		assertThat(semaphore.queueLength()).isEqualTo(WAITERS);
		assertThat((queued - baseline) / WAITERS)
			.as("bytes per queued waiter (baseline %d, with waiters %d)", baseline, queued)
			.isLessThan(MAX_BYTES_PER_WAITER);

		assertThat(cancelAll(waiters)).as("cancel() calls that returned false").isZero();
		assertThat(semaphore.queueLength()).isZero();
		assertThat(semaphore.availablePermits()).isZero();
		assertThat(semaphore.isLocked()).isTrue();
		waiters.clear(); // the semaphore alone must not keep the cancelled waiters alive
		long cancelled = usedHeapAfterGc();
		assertThat((cancelled - baseline) / WAITERS)
			.as("bytes per waiter left after cancelling (baseline %d, after %d)", baseline, cancelled)
			.isLessThan(MAX_BYTES_LEFT_PER_WAITER);

		// still a working semaphore
		CompletableFuture<Void> next = semaphore.acquire();
		semaphore.release();
		assertThat(next).isCompleted();
	}

	@Test
	void timedWaitersCancelledGiveTheirTimersMemoryBack() {
		int count = WAITERS / 10;
		AsyncLock lock = AsyncLock.create("memory-timed");
		assertThat(lock.tryAcquire()).isTrue();
		List<CompletableFuture<Void>> waiters = new ArrayList<>(count);
		long baseline = usedHeapAfterGc();
		for (int i = 0; i < count; i++) {
			waiters.add(lock.acquire(Duration.ofHours(1)));
		}
		assertThat(lock.queueLength()).isEqualTo(count);
		assertThat(cancelAll(waiters)).as("cancel() calls that returned false").isZero();
		assertThat(lock.queueLength()).isZero();
		waiters.clear();
		long cancelled = usedHeapAfterGc();
		assertThat((cancelled - baseline) / count)
			.as("bytes per timed waiter left after cancelling (baseline %d, after %d)", baseline, cancelled)
			.isLessThan(MAX_BYTES_LEFT_PER_WAITER);
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void millionLockWaitersReleasingInTheirContinuationsRunInOrderWithoutOverflow() {
		AsyncLock lock = AsyncLock.create("chain");
		assertThat(lock.tryAcquire()).isTrue();
		Order order = new Order();
		for (int i = 0; i < WAITERS; i++) {
			int position = i;
			lock.acquire().thenRun(() -> {
				order.ran(position);
				lock.release();
			});
		}
		assertThat(lock.queueLength()).isEqualTo(WAITERS);
		lock.release();
		order.assertAllRanInOrder(WAITERS);
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void millionSemaphoreWaitersReleasingInTheirContinuationsRunInOrderWithoutOverflow() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("chain", 0);
		Order order = new Order();
		for (int i = 0; i < WAITERS; i++) {
			int position = i;
			semaphore.acquire().thenRun(() -> {
				order.ran(position);
				semaphore.release();
			});
		}
		assertThat(semaphore.queueLength()).isEqualTo(WAITERS);
		semaphore.release();
		order.assertAllRanInOrder(WAITERS);
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void millionEventWaitersEachSettingTheNextEventRunInOrderWithoutOverflow() {
		AsyncEvent[] events = new AsyncEvent[WAITERS + 1];
		for (int i = 0; i <= WAITERS; i++) {
			events[i] = AsyncEvent.create("chain");
		}
		Order order = new Order();
		for (int i = 0; i < WAITERS; i++) {
			int position = i;
			events[i].await().thenRun(() -> {
				order.ran(position);
				events[position + 1].set();
			});
		}
		CompletableFuture<Void> last = events[WAITERS].await();
		assertThat(last).isNotDone();
		events[0].set();
		order.assertAllRanInOrder(WAITERS);
		assertThat(last).isCompleted();
		for (AsyncEvent event : events) {
			assertThat(event.isSet()).isTrue();
			assertThat(event.queueLength()).isZero();
		}
	}

	@Test
	void millionConditionWaitersWokenBySignalAllReleasingInTheirContinuationsRunInOrderWithoutOverflow() {
		AsyncCondition condition = AsyncCondition.create("chain");
		Order order = new Order();
		for (int i = 0; i < WAITERS; i++) {
			int position = i;
			assertThat(condition.tryAcquire()).isTrue();
			condition.await().thenRun(() -> {
				order.ran(position);
				condition.release();
			});
		}
		assertThat(condition.queueLength()).isEqualTo(WAITERS);
		assertThat(condition.tryAcquire()).isTrue();
		condition.signalAll();
		assertThat(condition.queueLength()).isZero();
		assertThat(condition.lock().queueLength()).as("waiters re-acquiring the lock").isEqualTo(WAITERS);
		assertThat(order.next).isZero();
		condition.release();
		order.assertAllRanInOrder(WAITERS);
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.lock().queueLength()).isZero();
	}

	/**
	 * Cancels every waiter on a thread of its own: each cancellation creates an exception, whose
	 * stack trace costs less on a short stack than under the test framework.
	 * @return how many cancel() calls returned false
	 */
	private static int cancelAll(List<CompletableFuture<Void>> waiters) {
		AtomicInteger refused = new AtomicInteger();
		Thread canceller = new Thread(() -> {
			for (CompletableFuture<Void> waiter : waiters) {
				if (!waiter.cancel(false)) {
					refused.incrementAndGet();
				}
			}
		}, "memory-canceller");
		canceller.start();
		try {
			canceller.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return refused.get();
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 2; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/** Counts continuations; all of them run on the test thread. */
	private static final class Order {

		int next;

		int firstOutOfOrder = -1;

		void ran(int position) {
			if (position != this.next && this.firstOutOfOrder < 0) {
				this.firstOutOfOrder = position;
			}
			this.next++;
		}

		void assertAllRanInOrder(int count) {
			assertThat(this.next).as("continuations that ran").isEqualTo(count);
			assertThat(this.firstOutOfOrder).as("first continuation out of FIFO order").isEqualTo(-1);
		}

	}

}
