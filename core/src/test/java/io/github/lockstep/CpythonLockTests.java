package io.github.lockstep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * CPython's {@code Lib/test/test_asyncio/test_locks.py} {@code LockTests} (3.13, tests #1–12 of
 * the catalogue in {@code asyncio-semantics.md} §2), ported to {@link AsyncLock}.
 *
 * <p>asyncio wakes a waiter by scheduling it; Lockstep hands the lock over inside
 * {@code release()} (SPEC §2), so where CPython needs {@code await asyncio.sleep(0)} to see a
 * waiter run, these tests see it as soon as {@code release()} returns. A task cancelled in the
 * same loop step as a release maps to {@code cancel()} racing {@code release()}: each race is
 * tested in both orders (cancel first: the waiter is withdrawn; release first: {@code cancel}
 * returns {@code false} and the caller holds the lock), and once on two real threads.
 *
 * <p>Not ported, because they have no meaning in Java:
 * <ul>
 * <li>{@code test_lock} (#2): {@code await lock} raising {@code TypeError} — Python syntax; an
 * {@code AsyncLock} is not a future and cannot be awaited by mistake;</li>
 * <li>{@code test_lock_doesnt_accept_loop_parameter} (#3, also covers Condition, Event, Semaphore,
 * BoundedSemaphore): there is no event loop and no {@code loop=} parameter; an unknown keyword is
 * a compile error in Java;</li>
 * <li>{@code test_lock_by_with_statement} (#4, Lock, Condition, Semaphore, BoundedSemaphore):
 * {@code with await lock} raising {@code TypeError} — Python syntax only.</li>
 * </ul>
 * {@code test_repr} (#1) is ported as {@link #repr()} on {@code toString()}: it asserts the state
 * it shows, not Python's {@code <asyncio.locks.Lock object at 0x…>} format.
 */
class CpythonLockTests {

	@Test
	void repr() {
		// test_repr
		AsyncLock lock = AsyncLock.create("inventory");
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [unlocked]");
		lock.acquire();
		assertThat(lock.toString()).contains("inventory").contains("[locked").doesNotContain("waiters");
		CompletableFuture<Void> waiter = lock.acquire();
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [locked, waiters:1]");
		waiter.cancel(false);
		// asyncio still counts a cancelled future until its task runs; a withdrawn waiter is gone at once
		assertThat(lock.toString()).contains("[locked").doesNotContain("waiters");
	}

	@Test
	void acquire() {
		// test_acquire
		AsyncLock lock = AsyncLock.create("lock");
		List<Integer> result = new ArrayList<>();
		assertThat(lock.acquire()).isCompleted();

		CompletableFuture<Boolean> t1 = lock.acquire().thenApply((held) -> result.add(1));
		CompletableFuture<Boolean> t2 = lock.acquire().thenApply((held) -> result.add(2));
		assertThat(result).isEmpty();
		assertThat(lock.queueLength()).isEqualTo(2);

		lock.release();
		// no loop tick: t1 holds the lock and its continuation has run before release() returns
		assertThat(result).containsExactly(1);
		assertThat(t1).isCompletedWithValue(true);
		assertThat(t2).isNotDone();
		// SPEC §2 (gh-138121): locked as soon as the lock is handed to t1; asyncio's locked() is
		// False until t1 runs
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(1);

		// the late arrival queues behind t2
		CompletableFuture<Boolean> t3 = lock.acquire().thenApply((held) -> result.add(3));
		assertThat(lock.queueLength()).isEqualTo(2);

		lock.release();
		assertThat(result).containsExactly(1, 2);
		assertThat(t3).isNotDone();
		assertThat(lock.queueLength()).isEqualTo(1);

		lock.release();
		assertThat(result).containsExactly(1, 2, 3);
		assertThat(t1).isCompletedWithValue(true);
		assertThat(t2).isCompletedWithValue(true);
		assertThat(t3).isCompletedWithValue(true);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isZero();

		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void acquireCancel() {
		// test_acquire_cancel
		AsyncLock lock = AsyncLock.create("lock");
		assertThat(lock.acquire()).isCompleted();

		CompletableFuture<Void> task = lock.acquire();
		assertThat(task.cancel(false)).isTrue();
		assertThat(task).isCancelled();
		assertThat(lock.queueLength()).isZero();
		assertThat(lock.isLocked()).isTrue();

		// the cancelled waiter is not handed the lock: the release frees it
		lock.release();
		assertThat(task).isCancelled();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.tryAcquire()).isTrue();
	}

	@Test
	void cancelRace() {
		// test_cancel_race: A holds the lock, B and C wait; B is cancelled in the step where A releases.
		// asyncio's fa.set_result() only schedules A, so B's cancel reaches B's waiter first: the
		// release must skip B and hand the lock to C.
		AsyncLock lock = AsyncLock.create("lock");
		List<String> order = new ArrayList<>();
		CompletableFuture<Void> fa = new CompletableFuture<>();
		CompletableFuture<Void> ta = lockit(lock, lock.acquire(), "A", fa, order);
		assertThat(lock.isLocked()).isTrue();
		CompletableFuture<Void> bAcquire = lock.acquire();
		CompletableFuture<Void> tb = lockit(lock, bAcquire, "B", done(), order);
		assertThat(lock.queueLength()).isEqualTo(1);
		CompletableFuture<Void> cAcquire = lock.acquire();
		CompletableFuture<Void> tc = lockit(lock, cAcquire, "C", done(), order);
		assertThat(lock.queueLength()).isEqualTo(2);

		assertThat(bAcquire.cancel(false)).isTrue();
		assertThat(bAcquire).isCancelled();
		assertThat(lock.queueLength()).isEqualTo(1);
		fa.complete(null);

		assertThat(order).containsExactly("A", "C");
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
		assertThat(ta).isCompleted();
		assertThat(failure(tb)).isInstanceOf(CancellationException.class);
		assertThat(tc).isCompleted();
	}

	@Test
	void cancelRaceWhenReleaseWins() {
		// test_cancel_race, the other order: A's release reaches B before the cancel. The lock is
		// handed to B at once, so cancel() returns false and B runs and releases (SPEC §2).
		AsyncLock lock = AsyncLock.create("lock");
		List<String> order = new ArrayList<>();
		CompletableFuture<Void> fa = new CompletableFuture<>();
		CompletableFuture<Void> ta = lockit(lock, lock.acquire(), "A", fa, order);
		CompletableFuture<Void> bAcquire = lock.acquire();
		CompletableFuture<Void> tb = lockit(lock, bAcquire, "B", done(), order);
		CompletableFuture<Void> tc = lockit(lock, lock.acquire(), "C", done(), order);
		assertThat(lock.queueLength()).isEqualTo(2);

		fa.complete(null);
		assertThat(bAcquire.cancel(false)).isFalse();

		assertThat(bAcquire).isCompleted();
		assertThat(order).containsExactly("A", "B", "C");
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
		assertThat(ta).isCompleted();
		assertThat(tb).isCompleted();
		assertThat(tc).isCompleted();
	}

	@Test
	void cancelReleaseRace() {
		// test_cancel_release_race (bpo-32734): main holds the lock, t1..t3 wait; one callback
		// cancels t1 and releases. Only one of them may get the lock.
		AsyncLock lock = AsyncLock.create("lock");
		AtomicInteger lockCount = new AtomicInteger();
		AtomicInteger callCount = new AtomicInteger();
		assertThat(lock.acquire()).isCompleted();
		CompletableFuture<Void> t1 = lockit(lock, lockCount, callCount);
		CompletableFuture<Void> t2 = lockit(lock, lockCount, callCount);
		CompletableFuture<Void> t3 = lockit(lock, lockCount, callCount);
		assertThat(lock.queueLength()).isEqualTo(3);

		// trigger(): t1.cancel(); lock.release()
		assertThat(t1.cancel(false)).isTrue();
		lock.release();

		assertThat(lockCount).hasValue(1);
		assertThat(callCount).hasValue(3);
		assertThat(t1).isCancelled();
		assertThat(t2).isCompleted();
		assertThat(t3).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(1);

		// cleanup the task that is stuck on acquire
		assertThat(t3.cancel(false)).isTrue();
		assertThat(t3).isCancelled();
		assertThat(lock.queueLength()).isZero();
		assertThat(lock.isLocked()).isTrue(); // t2 still holds it
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lockCount).hasValue(1);
	}

	@Test
	void cancelReleaseRaceWhenReleaseWins() {
		// test_cancel_release_race (bpo-32734), the other order: the release hands the lock to t1
		// first, so the cancel returns false and t1 holds it; still only one acquisition.
		AsyncLock lock = AsyncLock.create("lock");
		AtomicInteger lockCount = new AtomicInteger();
		AtomicInteger callCount = new AtomicInteger();
		lock.acquire();
		CompletableFuture<Void> t1 = lockit(lock, lockCount, callCount);
		CompletableFuture<Void> t2 = lockit(lock, lockCount, callCount);
		CompletableFuture<Void> t3 = lockit(lock, lockCount, callCount);

		lock.release();
		assertThat(t1.cancel(false)).isFalse();

		assertThat(lockCount).hasValue(1);
		assertThat(callCount).hasValue(3);
		assertThat(t1).isCompleted();
		assertThat(t2).isNotDone();
		assertThat(t3).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(2);

		assertThat(t2.cancel(false)).isTrue();
		assertThat(t3.cancel(false)).isTrue();
		assertThat(lock.queueLength()).isZero();
		lock.release(); // t1's
		assertThat(lock.isLocked()).isFalse();
		assertThat(lockCount).hasValue(1);
	}

	@Test
	void cancelReleaseRaceOnTwoThreads() throws Exception {
		// test_cancel_release_race (bpo-32734) with cancel() and release() really concurrent:
		// whichever wins, exactly one waiter gets the lock and the accounting matches the winner.
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int i = 0; i < 2_000; i++) {
				AsyncLock lock = AsyncLock.create("lock");
				AtomicInteger lockCount = new AtomicInteger();
				AtomicInteger callCount = new AtomicInteger();
				lock.acquire();
				CompletableFuture<Void> t1 = lockit(lock, lockCount, callCount);
				CompletableFuture<Void> t2 = lockit(lock, lockCount, callCount);
				CompletableFuture<Void> t3 = lockit(lock, lockCount, callCount);
				CyclicBarrier start = new CyclicBarrier(2);
				Future<Boolean> cancel = threads.submit(() -> {
					start.await();
					return t1.cancel(false);
				});
				Future<?> release = threads.submit(() -> {
					start.await();
					lock.release();
					return null;
				});
				boolean cancelled = cancel.get(10, TimeUnit.SECONDS);
				release.get(10, TimeUnit.SECONDS);

				assertThat(lockCount).hasValue(1);
				assertThat(lock.isLocked()).isTrue();
				if (cancelled) {
					assertThat(t1).isCancelled();
					assertThat(t2).isCompleted();
					assertThat(lock.queueLength()).isEqualTo(1);
				}
				else {
					assertThat(t1).isCompleted();
					assertThat(t2).isNotDone();
					assertThat(lock.queueLength()).isEqualTo(2);
				}
				assertThat(t3).isNotDone();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void finishedWaiterCancelled() {
		// test_finished_waiter_cancelled (bpo-27585): tb waits, tc comes next, tb is cancelled and
		// the lock released in the same step. asyncio's cancel reaches tb's future before the
		// release, so tb is withdrawn and the lock must not get stuck: tc gets it.
		AsyncLock lock = AsyncLock.create("lock");
		lock.acquire();
		assertThat(lock.isLocked()).isTrue();
		CompletableFuture<Void> tb = lock.acquire();
		assertThat(lock.queueLength()).isEqualTo(1);
		CompletableFuture<Void> tc = lock.acquire();

		assertThat(tb.cancel(false)).isTrue();
		lock.release();

		assertThat(lock.isLocked()).isTrue();
		assertThat(tb).isCancelled();
		assertThat(tc).isCompleted();
		assertThat(lock.queueLength()).isZero();
		lock.release(); // tc's
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void finishedWaiterCancelledAfterTheHandOff() {
		// test_finished_waiter_cancelled (bpo-27585), the window the bug was about: tb has been
		// woken and is then cancelled. asyncio passes the wake-up on to tc; here the lock was
		// handed to tb, cancel() returns false and tb holds the lock (SPEC §2), so tb's release is
		// what passes it on. Either way the lock is never stuck.
		AsyncLock lock = AsyncLock.create("lock");
		lock.acquire();
		CompletableFuture<Void> tb = lock.acquire();
		CompletableFuture<Void> tc = lock.acquire();

		lock.release();
		assertThat(tb.cancel(false)).isFalse();

		assertThat(tb).isCompleted();
		assertThat(tc).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(1);
		lock.release(); // tb's
		assertThat(tc).isCompleted();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isZero();
		lock.release(); // tc's
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void releaseNotAcquired() {
		// test_release_not_acquired: asyncio's RuntimeError is an IllegalStateException (SPEC §2)
		AsyncLock lock = AsyncLock.create("lock");
		assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock 'lock': Lock is not acquired.");
		assertThat(lock.isLocked()).isFalse();

		lock.acquire();
		lock.release();
		assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock 'lock': Lock is not acquired.");
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.tryAcquire()).isTrue();
	}

	@Test
	void releaseNoWaiters() {
		// test_release_no_waiters
		AsyncLock lock = AsyncLock.create("lock");
		assertThat(lock.acquire()).isCompleted();
		assertThat(lock.isLocked()).isTrue();

		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void contextManager() {
		// test_context_manager: `async with lock` is withLock
		AsyncLock lock = AsyncLock.create("lock");
		assertThat(lock.isLocked()).isFalse();
		AtomicBoolean lockedInside = new AtomicBoolean();
		CompletableFuture<String> body = new CompletableFuture<>();

		CompletableFuture<String> result = lock.withLock(() -> {
			lockedInside.set(lock.isLocked());
			return body;
		});
		assertThat(lockedInside).isTrue();
		assertThat(lock.isLocked()).isTrue();
		assertThat(result).isNotDone();

		body.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void contextManagerWhenTheBodyFails() {
		// test_context_manager: __aexit__ releases on an exception too, and does not swallow it
		AsyncLock lock = AsyncLock.create("lock");
		IllegalArgumentException boom = new IllegalArgumentException("boom");

		CompletableFuture<String> result = lock.withLock(() -> CompletableFuture.failedFuture(boom));
		assertThat(failure(result)).isSameAs(boom);
		assertThat(lock.isLocked()).isFalse();
	}

	/** CPython's {@code lockit(name, blocker)}: acquire, wait for {@code blocker}, release. */
	private static CompletableFuture<Void> lockit(AsyncLock lock, CompletableFuture<Void> acquired, String name,
			CompletionStage<Void> blocker, List<String> order) {
		return acquired.thenCompose((held) -> {
			order.add(name);
			return blocker.whenComplete((value, ex) -> lock.release());
		});
	}

	/**
	 * CPython's {@code lockit()} of bpo-32734: counts the call and the acquisition, never releases.
	 * Returns the acquire future itself, so that the test can cancel it.
	 */
	private static CompletableFuture<Void> lockit(AsyncLock lock, AtomicInteger lockCount, AtomicInteger callCount) {
		callCount.incrementAndGet();
		CompletableFuture<Void> acquired = lock.acquire();
		acquired.thenRun(lockCount::incrementAndGet);
		return acquired;
	}

	private static CompletableFuture<Void> done() {
		return CompletableFuture.completedFuture(null);
	}

	/** The failure a completed future ended with, unwrapped from {@link CompletionException}. */
	private static Throwable failure(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		Throwable failure = future.handle((value, ex) -> ex).join();
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
