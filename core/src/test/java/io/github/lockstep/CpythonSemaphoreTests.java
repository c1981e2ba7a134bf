package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * CPython's {@code Lib/test/test_asyncio/test_locks.py} {@code SemaphoreTests} (3.13, tests #39–53
 * of the catalogue in {@code asyncio-semantics.md} §2, including the one BoundedSemaphore test),
 * ported to {@link AsyncSemaphore}.
 *
 * <p>asyncio's {@code release()} reserves a permit for the first waiter ({@code _value} stays 0)
 * and schedules it; Lockstep's hands the permit over and completes the waiter's future before
 * returning (SPEC §2), so {@code availablePermits()} plays {@code _value} and the waiter has run
 * when CPython would need a tick. There is therefore no state where a permit is free while a
 * waiter is queued, which is what asyncio's "woken but not yet resumed" waiters produce; the
 * closest thing is a release inside a Lockstep continuation, whose completions are trampolined
 * until the continuation returns (the {@code …InsideAContinuation} tests). A task cancelled in the
 * same loop step as a release maps to {@code cancel()} racing {@code release()}: cancel first
 * withdraws the waiter, release first makes {@code cancel} return {@code false} with the permit
 * held by the caller; both orders are tested, and once on two real threads.
 *
 * <p>Not ported, because they have no meaning in Java:
 * <ul>
 * <li>{@code test_semaphore} (#41): {@code await sem} raising {@code TypeError} — Python syntax
 * (its state checks, value 1 and unlocked, are those of {@link #repr()} and
 * {@link #releaseNoWaiters()});</li>
 * <li>the part of {@code test_repr} (#40) that appends {@code mock.Mock()} objects to the private
 * {@code _waiters} deque: {@link #repr()} queues real waiters instead.</li>
 * </ul>
 * {@code test_repr} asserts the state {@code toString()} shows, not Python's
 * {@code <asyncio.locks.Semaphore object at 0x… [unlocked, value:1]>} format.
 */
class CpythonSemaphoreTests {

	@Test
	void initialValueZero() {
		// test_initial_value_zero
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		assertThat(sem.isLocked()).isTrue();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.tryAcquire()).isFalse();
	}

	@Test
	void repr() {
		// test_repr
		AsyncSemaphore sem = AsyncSemaphore.create("payment-api", 1);
		assertThat(sem.toString()).isEqualTo("Semaphore 'payment-api' [unlocked, value:1]");

		sem.acquire();
		assertThat(sem.toString()).contains("[locked").doesNotContain("waiters");

		CompletableFuture<Void> first = sem.acquire();
		assertThat(sem.toString()).contains("[locked").contains("waiters:1");
		CompletableFuture<Void> second = sem.acquire();
		assertThat(sem.toString()).isEqualTo("Semaphore 'payment-api' [locked, waiters:2]");

		first.cancel(false);
		second.cancel(false);
		assertThat(sem.toString()).contains("[locked").doesNotContain("waiters");
	}

	@Test
	void semaphoreValue() {
		// test_semaphore_value: asyncio's ValueError is an IllegalArgumentException (SPEC §2), for
		// BoundedSemaphore too
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncSemaphore.create(-1))
			.withMessageContaining("initial value must be >= 0");
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncSemaphore.create("sem", -1))
			.withMessageContaining("'sem'")
			.withMessageContaining("initial value must be >= 0")
			.withMessageContaining("-1");
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncSemaphore.bounded(-1))
			.withMessageContaining("initial value must be >= 0");
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncSemaphore.bounded("sem", -1))
			.withMessageContaining("initial value must be >= 0");
	}

	@Test
	void acquire() {
		// test_acquire
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 3);
		List<Integer> result = new ArrayList<>();

		assertThat(sem.acquire()).isCompleted();
		assertThat(sem.acquire()).isCompleted();
		assertThat(sem.isLocked()).isFalse();
		assertThat(sem.availablePermits()).isEqualTo(1);

		CompletableFuture<Boolean> t1 = sem.acquire().thenApply((held) -> result.add(1));
		CompletableFuture<Boolean> t2 = sem.acquire().thenApply((held) -> result.add(2));
		CompletableFuture<Boolean> t3 = sem.acquire().thenApply((held) -> result.add(3));
		assertThat(result).containsExactly(1);
		assertThat(sem.isLocked()).isTrue();
		assertThat(sem.queueLength()).isEqualTo(2);
		assertThat(sem.availablePermits()).isZero();

		CompletableFuture<Boolean> t4 = sem.acquire().thenApply((held) -> result.add(4));
		assertThat(sem.queueLength()).isEqualTo(3);

		sem.release();
		sem.release();
		// each released permit went straight to a waiter: none is free
		assertThat(sem.availablePermits()).isZero();
		assertThat(result).hasSize(3);
		assertThat(sem.isLocked()).isTrue();
		assertThat(sem.queueLength()).isEqualTo(1);

		assertThat(t1).isCompletedWithValue(true);
		// asyncio only asserts that two of t2, t3, t4 got in (t4 starts in the tick that wakes
		// t2 and t3); with t4 queued before the releases, FIFO says which two
		assertThat(t2).isCompletedWithValue(true);
		assertThat(t3).isCompletedWithValue(true);
		assertThat(t4).isNotDone();
		assertThat(result).containsExactly(1, 2, 3);

		// cleanup locked semaphore
		sem.release();
		assertThat(t4).isCompletedWithValue(true);
		assertThat(result).containsExactly(1, 2, 3, 4);
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.isLocked()).isTrue();
	}

	@Test
	void acquireCancel() {
		// test_acquire_cancel
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		assertThat(sem.acquire()).isCompleted();

		CompletableFuture<Void> acquire = sem.acquire();
		assertThat(acquire.cancel(false)).isTrue();
		assertThat(acquire).isCancelled();
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.isLocked()).isTrue();

		// the permit is not lost to the cancelled waiter
		sem.release();
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.isLocked()).isFalse();
	}

	@Test
	void acquireCancelBeforeAwoken() {
		// test_acquire_cancel_before_awoken (gh-90155): cancelled waiters are skipped by release
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		CompletableFuture<Void> t1 = sem.acquire();
		CompletableFuture<Void> t2 = sem.acquire();
		CompletableFuture<Void> t3 = sem.acquire();
		CompletableFuture<Void> t4 = sem.acquire();
		assertThat(sem.queueLength()).isEqualTo(4);

		assertThat(t1.cancel(false)).isTrue();
		assertThat(t2.cancel(false)).isTrue();
		sem.release();

		assertThat(t3).isCompleted();
		assertThat(t4).isNotDone();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isEqualTo(1);
		assertThat(sem.isLocked()).isTrue();

		// cleanup: t3 already holds its permit, so its cancel returns false (SPEC §2)
		assertThat(t3.cancel(false)).isFalse();
		assertThat(t4.cancel(false)).isTrue();
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.availablePermits()).isZero();
		sem.release(); // t3's
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.isLocked()).isFalse();
	}

	@Test
	void acquireHang() {
		// test_acquire_hang (gh-90155): with the first waiter cancelled, the permit goes to the next
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		CompletableFuture<Void> t1 = sem.acquire();
		CompletableFuture<Void> t2 = sem.acquire();

		assertThat(t1.cancel(false)).isTrue();
		sem.release();

		assertThat(sem.isLocked()).isTrue();
		assertThat(t2).isCompleted();
		assertThat(t1).isCancelled();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
	}

	@Test
	void acquireHangWhenReleaseWins() {
		// test_acquire_hang (gh-90155), the other order: the release reaches t1 before the cancel,
		// so t1 holds the permit, and t2 gets it when t1 gives it back
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		CompletableFuture<Void> t1 = sem.acquire();
		CompletableFuture<Void> t2 = sem.acquire();

		sem.release();
		assertThat(t1.cancel(false)).isFalse();

		assertThat(t1).isCompleted();
		assertThat(t2).isNotDone();
		assertThat(sem.isLocked()).isTrue();
		assertThat(sem.queueLength()).isEqualTo(1);
		sem.release(); // t1's
		assertThat(t2).isCompleted();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
	}

	@Test
	void acquireNoHang() {
		// test_acquire_no_hang (gh-90155): c1 leaves `async with sem` (handing the permit to c2),
		// then cancels c2. asyncio: c2 is woken but cancelled before it runs, gives the permit
		// back and never enters. Here the release has handed the permit to c2 before the cancel,
		// so cancel() returns false and c2 holds it (SPEC §2); the permit comes back when c2
		// releases, and the semaphore does not hang.
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		CompletableFuture<Void> c1 = sem.acquire();
		CompletableFuture<Void> c2 = sem.acquire();
		assertThat(c1).isCompleted();
		assertThat(sem.queueLength()).isEqualTo(1);

		sem.release(); // c1 leaves
		assertThat(c2.cancel(false)).isFalse();

		assertThat(c2).isCompleted();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.isLocked()).isTrue();
		sem.release(); // c2's
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.acquire(Duration.ofSeconds(1))).isCompleted();
	}

	@Test
	void acquireNoHangWhenCancelWins() {
		// test_acquire_no_hang (gh-90155) with asyncio's outcome: c2 is cancelled before the permit
		// reaches it, so its body never runs (r2 is a cancellation), c1 ends normally (r1 None),
		// and the permit is free afterwards
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		CompletableFuture<Void> c1Body = new CompletableFuture<>();
		AtomicBoolean c2Entered = new AtomicBoolean();
		CompletableFuture<Void> c1 = sem.withPermit(() -> c1Body);
		CompletableFuture<Void> c2 = sem.withPermit(() -> {
			c2Entered.set(true);
			return CompletableFuture.completedFuture(null);
		});
		assertThat(sem.queueLength()).isEqualTo(1);

		assertThat(c2.cancel(false)).isTrue();
		assertThat(sem.queueLength()).isZero();
		c1Body.complete(null);

		assertThat(c1).isCompletedWithValue(null);
		assertThat(c2).isCancelled();
		assertThat(c2Entered).isFalse();
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.isLocked()).isFalse();
		assertThat(sem.acquire(Duration.ofSeconds(1))).isCompleted();
	}

	@Test
	void acquireNoHangWhenReleasedInsideAContinuation() {
		// test_acquire_no_hang (gh-90155) with c1 running inside a Lockstep continuation: its
		// release hands the permit to c2 at once, but c2's future is completed only after c1's
		// continuation returns (trampolined, SPEC §2) — asyncio's "woken but not yet resumed".
		// Cancelling c2 in that window returns false, completes c2 normally and leaves it the
		// permit; nothing is lost or granted twice.
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		AsyncEvent start = AsyncEvent.create("start");
		sem.acquire();
		CompletableFuture<Void> c2 = sem.acquire();
		List<String> seen = new ArrayList<>();
		CompletableFuture<Void> c1 = start.await().thenRun(() -> {
			sem.release(); // c1 leaves `async with sem`
			seen.add("released, c2 done: " + c2.isDone() + ", free: " + sem.availablePermits());
			seen.add("cancelled: " + c2.cancel(false) + ", c2 done: " + c2.isDone());
		});

		start.set();

		assertThat(c1).isCompleted();
		assertThat(seen).containsExactly("released, c2 done: false, free: 0", "cancelled: false, c2 done: true");
		assertThat(c2).isCompletedWithValue(null);
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
		sem.release(); // c2's
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.acquire(Duration.ofSeconds(1))).isCompleted();
	}

	@Test
	void acquireNoHangOnTwoThreads() throws Exception {
		// test_acquire_no_hang (gh-90155) with release() and cancel() really concurrent: whichever
		// wins, the permit is held by exactly one party and comes back exactly once
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 2_000; i++) {
				AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
				sem.acquire();
				CompletableFuture<Void> c2 = sem.acquire();
				CompletableFuture<Void> c3 = sem.acquire();
				CyclicBarrier start = new CyclicBarrier(2);
				Future<Boolean> cancel = threads.submit(() -> {
					start.await();
					return c2.cancel(false);
				});
				Future<?> release = threads.submit(() -> {
					start.await();
					sem.release();
					return null;
				});
				boolean cancelled = cancel.get(10, TimeUnit.SECONDS);
				release.get(10, TimeUnit.SECONDS);

				assertThat(sem.availablePermits()).isZero();
				assertThat(sem.isLocked()).isTrue();
				if (cancelled) {
					assertThat(c2).isCancelled();
					assertThat(c3).isCompleted();
					assertThat(sem.queueLength()).isZero();
				}
				else {
					assertThat(c2).isCompletedWithValue(null);
					assertThat(c3).isNotDone();
					assertThat(sem.queueLength()).isEqualTo(1);
					sem.release(); // c2's
					assertThat(c3).isCompleted();
				}
				sem.release(); // c3's
				assertThat(sem.availablePermits()).isEqualTo(1);
				assertThat(sem.queueLength()).isZero();
				assertThat(sem.isLocked()).isFalse();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void releaseNotAcquired() {
		// test_release_not_acquired (BoundedSemaphore): asyncio's ValueError is an
		// IllegalStateException with asyncio's message (SPEC §2)
		AsyncSemaphore sem = AsyncSemaphore.bounded("sem", 1);
		assertThat(sem.isBounded()).isTrue();

		assertThatIllegalStateException().isThrownBy(sem::release)
			.withMessage("Semaphore 'sem': BoundedSemaphore released too many times");
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.isLocked()).isFalse();

		// BoundedSemaphore(0) refuses every release
		AsyncSemaphore empty = AsyncSemaphore.bounded("empty", 0);
		assertThatIllegalStateException().isThrownBy(empty::release)
			.withMessage("Semaphore 'empty': BoundedSemaphore released too many times");
		assertThat(empty.availablePermits()).isZero();

		// a plain semaphore may be released above its initial value
		AsyncSemaphore plain = AsyncSemaphore.create("plain", 1);
		assertThat(plain.isBounded()).isFalse();
		plain.release();
		assertThat(plain.availablePermits()).isEqualTo(2);
	}

	@Test
	void releaseNotAcquiredCountsHandedOffPermitsAsHeld() {
		// test_release_not_acquired: the bound is checked against free permits only; a permit
		// handed to a waiter is held, so releasing it is legal and one more is not
		AsyncSemaphore sem = AsyncSemaphore.bounded("sem", 1);
		sem.acquire();
		CompletableFuture<Void> waiter = sem.acquire();
		sem.release();
		assertThat(waiter).isCompleted();
		assertThat(sem.availablePermits()).isZero();

		sem.release(); // the waiter's
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThatIllegalStateException().isThrownBy(sem::release)
			.withMessage("Semaphore 'sem': BoundedSemaphore released too many times");
		assertThat(sem.availablePermits()).isEqualTo(1);
	}

	@Test
	void releaseNoWaiters() {
		// test_release_no_waiters
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		assertThat(sem.isLocked()).isFalse();
		assertThat(sem.acquire()).isCompleted();
		assertThat(sem.isLocked()).isTrue();

		sem.release();
		assertThat(sem.isLocked()).isFalse();
		assertThat(sem.availablePermits()).isEqualTo(1);
	}

	@Test
	void acquireFifoOrder() {
		// test_acquire_fifo_order: c1..c3 each take the permit twice; one that releases and
		// acquires again queues behind the others. asyncio.sleep(0.01) while holding the permit is
		// a future the test completes, one holder at a time.
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		List<String> result = new ArrayList<>();
		Deque<CompletableFuture<Void>> sleeping = new ArrayDeque<>();
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (String tag : List.of("c1", "c2", "c3")) {
			tasks.add(sem.acquire()
				.thenCompose((held) -> hold(tag + "_1", result, sleeping))
				.thenCompose((slept) -> {
					sem.release();
					return sem.acquire();
				})
				.thenCompose((held) -> hold(tag + "_2", result, sleeping))
				.thenRun(sem::release));
		}

		while (!sleeping.isEmpty()) {
			assertThat(sleeping).hasSize(1); // one permit: one holder
			sleeping.poll().complete(null);
		}

		assertThat(result).containsExactly("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2");
		assertThat(tasks).allSatisfy((task) -> assertThat(task).isCompleted());
		assertThat(sem.availablePermits()).isEqualTo(1);
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.isLocked()).isFalse();
	}

	@Test
	void acquireFifoOrder2() {
		// test_acquire_fifo_order_2: c2 releases and acquires again while c3, which its release
		// just granted, has not run yet; c2 must queue behind c3
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 1);
		List<Integer> result = new ArrayList<>();
		List<CompletableFuture<Void>> c2Again = new ArrayList<>();

		CompletableFuture<Boolean> t1 = sem.acquire().thenApply((held) -> result.add(1));
		CompletableFuture<Boolean> t2 = sem.acquire().thenCompose((held) -> {
			result.add(2);
			sem.release();
			CompletableFuture<Void> again = sem.acquire();
			c2Again.add(again);
			return again.thenApply((heldAgain) -> result.add(4));
		});
		CompletableFuture<Boolean> t3 = sem.acquire().thenApply((held) -> result.add(3));
		assertThat(result).containsExactly(1);
		assertThat(sem.queueLength()).isEqualTo(2);

		sem.release();
		assertThat(result).containsExactly(1, 2, 3);
		assertThat(c2Again).singleElement().satisfies((again) -> assertThat(again).isNotDone());
		assertThat(sem.queueLength()).isEqualTo(1);
		assertThat(sem.availablePermits()).isZero();

		sem.release();
		assertThat(result).containsExactly(1, 2, 3, 4);
		assertThat(t1).isCompletedWithValue(true);
		assertThat(t2).isCompletedWithValue(true);
		assertThat(t3).isCompletedWithValue(true);
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.isLocked()).isTrue();
	}

	@Test
	void acquireFifoOrder3() {
		// test_acquire_fifo_order_3: a cancelled waiter is skipped and the order kept
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		List<Integer> result = new ArrayList<>();
		CompletableFuture<Void> t1Acquire = sem.acquire();
		CompletableFuture<Boolean> t1 = t1Acquire.thenApply((held) -> result.add(1));
		CompletableFuture<Boolean> t2 = sem.acquire().thenApply((held) -> result.add(2));
		CompletableFuture<Boolean> t3 = sem.acquire().thenApply((held) -> result.add(3));

		assertThat(t1Acquire.cancel(false)).isTrue();
		assertThat(sem.queueLength()).isEqualTo(2);

		sem.release();
		sem.release();

		assertThat(result).containsExactly(2, 3);
		assertThat(failure(t1)).isInstanceOf(CancellationException.class);
		assertThat(t2).isCompletedWithValue(true);
		assertThat(t3).isCompletedWithValue(true);
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
	}

	@Test
	void acquireFifoOrder4() {
		// test_acquire_fifo_order_4 (gh-111694): c1 waits; c2 releases three times, then c2 and c3
		// acquire. asyncio: after the releases locked() is True with _value 2, because c1 is woken
		// but not resumed (its permit reserved), so c2 and c3 queue behind it, and c1's successful
		// acquire must wake both. Here the first release hands c1 its permit and runs it (SPEC §2),
		// so the other two permits are really free with nobody queued: c2 and c3 get them at once,
		// still in FIFO order. (The c4 that c1 creates only shows that c1 woke c2 and c3 before
		// anything it schedules runs; there is no wake-up left to wait for here.)
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		List<Integer> result = new ArrayList<>();
		AtomicBoolean lockedInC3 = new AtomicBoolean();
		assertThat(sem.availablePermits()).isZero();
		CompletableFuture<Boolean> c1 = sem.acquire().thenApply((held) -> {
			assertThat(sem.availablePermits()).isZero();
			return result.add(1);
		});
		assertThat(sem.queueLength()).isEqualTo(1);

		sem.release();
		assertThat(result).containsExactly(1);
		sem.release();
		sem.release();
		assertThat(sem.availablePermits()).isEqualTo(2);
		assertThat(sem.isLocked()).isFalse(); // asyncio: True (c1 woken, not resumed)
		assertThat(sem.queueLength()).isZero();

		CompletableFuture<Boolean> c2 = sem.acquire().thenApply((held) -> result.add(2));
		CompletableFuture<Boolean> c3 = sem.acquire().thenApply((held) -> {
			lockedInC3.set(sem.isLocked());
			return result.add(3);
		});

		assertThat(result).containsExactly(1, 2, 3);
		assertThat(lockedInC3).isTrue();
		assertThat(c1).isCompletedWithValue(true);
		assertThat(c2).isCompletedWithValue(true);
		assertThat(c3).isCompletedWithValue(true);
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.isLocked()).isTrue();
	}

	@Test
	void acquireFifoOrder4WhenReleasedInsideAContinuation() {
		// test_acquire_fifo_order_4 (gh-111694) with c2's body running inside a Lockstep
		// continuation: its first release grants c1 a permit, but c1's continuation is trampolined
		// until c2's body returns (SPEC §2) — the nearest state to asyncio's woken-not-resumed c1.
		// c1's permit is taken at the grant, so the two permits left are free with nobody queued,
		// and c2 and c3 take them without passing c1: continuations run 2, 3, then 1.
		AsyncSemaphore sem = AsyncSemaphore.create("sem", 0);
		AsyncEvent start = AsyncEvent.create("start");
		List<String> order = new ArrayList<>();
		CompletableFuture<Void> c1Acquire = sem.acquire();
		CompletableFuture<Boolean> c1 = c1Acquire.thenApply((held) -> order.add("1"));
		CompletableFuture<Void> c2Body = start.await().thenRun(() -> {
			sem.release();
			sem.release();
			sem.release();
			order.add("released: free " + sem.availablePermits() + ", queued " + sem.queueLength()
					+ ", locked " + sem.isLocked() + ", c1 done " + c1Acquire.isDone());
			sem.acquire().thenApply((held) -> order.add("2"));
			sem.acquire().thenApply((held) -> order.add("3"));
			order.add("c2 body returns");
		});

		start.set();

		assertThat(c2Body).isCompleted();
		assertThat(order).containsExactly("released: free 2, queued 0, locked false, c1 done false", "2", "3",
				"c2 body returns", "1");
		assertThat(c1).isCompletedWithValue(true);
		assertThat(sem.availablePermits()).isZero();
		assertThat(sem.queueLength()).isZero();
		assertThat(sem.isLocked()).isTrue();
	}

	/** Records {@code tag} and returns the asyncio.sleep() of a holder, for the test to end. */
	private static CompletableFuture<Void> hold(String tag, List<String> result,
			Deque<CompletableFuture<Void>> sleeping) {
		result.add(tag);
		CompletableFuture<Void> sleep = new CompletableFuture<>();
		sleeping.add(sleep);
		return sleep;
	}

	/** The failure a completed future ended with, unwrapped from {@link CompletionException}. */
	private static Throwable failure(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		Throwable failure = future.handle((value, ex) -> ex).join();
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
