package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.lockstep.redis.Outcomes.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * CPython's {@code LockTests} ({@code Lib/test/test_asyncio/test_locks.py}, 3.13, catalogue #1–12
 * in {@code asyncio-semantics.md} §2), case by case as the core's {@code CpythonLockTests},
 * against a lock in Redis, all parties on one instance. Each test has the core's name and the
 * Python one in a comment.
 *
 * <p>A hand-off is decided in Redis and reaches the new holder by the release's reply or the
 * grant's announcement on the instance's inbox, whichever comes first, so a completion is waited
 * for, bounded, and a wait that must not have been granted is asserted after
 * {@link Cluster#roundTrip} with the lock's queue read from Redis ({@link Cluster#awaitQueued}).
 * A cancel racing a release cannot be ordered from here: the release that wins is the one Redis
 * ran first. So the "release wins" variants wait for the grant before the cancel, which then
 * returns {@code false}; the "cancel wins" ones cancel before the release is sent, and Redis
 * withdraws the waiter before it runs the release (one connection, in order).
 *
 * <p>Not run here: #2–#4 (Python syntax and {@code loop=}, as in the core), and the core's
 * {@code cancelReleaseRaceOnTwoThreads}, a race on the in-memory lock's own state; across
 * instances the lock is hammered with real threads, cancels and timeouts in
 * {@link CrossInstanceTests}. {@code test_repr} (#1) reads {@code toString()}, which says
 * {@code [redis, …]} and counts the waiters Redis has queued.
 */
class RedisCpythonLockTests {

	private static final Duration WAIT = Outcomes.WAIT;

	/** These tests are about the lock's semantics, not lease loss. */
	private static final Duration LEASE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis, LEASE);

	private RedisPrimitives instance() {
		return this.cluster.first();
	}

	private AsyncLock lock(String name) {
		return instance().lock(name);
	}

	/** Waits until Redis has {@code count} queued for the lock, and this instance has seen it. */
	private void queued(String name, int count) {
		this.cluster.awaitQueued(name, count, instance());
	}

	@Test
	void repr() {
		// test_repr
		AsyncLock lock = lock("inventory");
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [redis, unlocked]");
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [redis, locked]");
		CompletableFuture<Void> waiter = lock.acquire();
		queued("inventory", 1);
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [redis, locked, waiters:1]");
		assertThat(waiter.cancel(false)).isTrue();
		queued("inventory", 0);
		assertThat(lock.toString()).isEqualTo("Lock 'inventory' [redis, locked]");
	}

	@Test
	void acquire() {
		// test_acquire
		AsyncLock lock = lock("lock");
		List<Integer> result = Collections.synchronizedList(new ArrayList<>());
		assertThat(lock.acquire()).succeedsWithin(WAIT);

		CompletableFuture<Boolean> t1 = lock.acquire().thenApply((held) -> result.add(1));
		CompletableFuture<Boolean> t2 = lock.acquire().thenApply((held) -> result.add(2));
		queued("lock", 2);
		assertThat(result).isEmpty();
		assertThat(lock.queueLength()).isEqualTo(2);

		lock.release();
		assertThat(t1).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(result).containsExactly(1);
		// SPEC §2 (gh-138121): locked as soon as the lock is handed to t1
		assertThat(lock.isLocked()).isTrue();
		queued("lock", 1);
		assertThat(t2).isNotDone();
		assertThat(lock.queueLength()).isEqualTo(1);

		// the late arrival queues behind t2
		CompletableFuture<Boolean> t3 = lock.acquire().thenApply((held) -> result.add(3));
		queued("lock", 2);

		lock.release();
		assertThat(t2).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(result).containsExactly(1, 2);
		queued("lock", 1);
		assertThat(t3).isNotDone();

		lock.release();
		assertThat(t3).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(result).containsExactly(1, 2, 3);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isZero();

		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void acquireCancel() {
		// test_acquire_cancel
		AsyncLock lock = lock("lock");
		assertThat(lock.acquire()).succeedsWithin(WAIT);

		CompletableFuture<Void> task = lock.acquire();
		assertThat(task.cancel(false)).isTrue();
		assertThat(task).isCancelled();
		queued("lock", 0);
		assertThat(lock.queueLength()).isZero();
		assertThat(lock.isLocked()).isTrue();

		// the cancelled waiter is not handed the lock: the release frees it
		lock.release();
		Cluster.roundTrip(instance());
		assertThat(task).isCancelled();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.tryAcquire()).isTrue();
	}

	@Test
	void cancelRace() {
		// test_cancel_race: A holds the lock, B and C wait; B is cancelled before A releases, so the
		// release skips B and hands the lock to C
		AsyncLock lock = lock("lock");
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Void> fa = new CompletableFuture<>();
		CompletableFuture<Void> ta = lockit(lock, lock.acquire(), "A", fa, order);
		CompletableFuture<Void> bAcquire = lock.acquire();
		CompletableFuture<Void> tb = lockit(lock, bAcquire, "B", done(), order);
		CompletableFuture<Void> cAcquire = lock.acquire();
		CompletableFuture<Void> tc = lockit(lock, cAcquire, "C", done(), order);
		queued("lock", 2);
		assertThat(lock.isLocked()).isTrue();

		assertThat(bAcquire.cancel(false)).isTrue();
		assertThat(bAcquire).isCancelled();
		fa.complete(null); // A releases, on this thread

		assertThat(ta).succeedsWithin(WAIT);
		assertThat(tc).succeedsWithin(WAIT);
		assertThat(order).containsExactly("A", "C");
		assertThat(failureOf(tb)).isInstanceOf(CancellationException.class);
		Cluster.roundTrip(instance());
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void cancelRaceWhenReleaseWins() {
		// test_cancel_race, the other order: A's release reaches B before the cancel, which returns
		// false; B runs and releases (SPEC §2)
		AsyncLock lock = lock("lock");
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Void> fa = new CompletableFuture<>();
		CompletableFuture<Void> ta = lockit(lock, lock.acquire(), "A", fa, order);
		CompletableFuture<Void> bHeld = new CompletableFuture<>();
		CompletableFuture<Void> bAcquire = lock.acquire();
		CompletableFuture<Void> tb = lockit(lock, bAcquire, "B", bHeld, order);
		CompletableFuture<Void> tc = lockit(lock, lock.acquire(), "C", done(), order);
		queued("lock", 2);

		fa.complete(null);
		assertThat(bAcquire).succeedsWithin(WAIT);
		assertThat(bAcquire.cancel(false)).isFalse();
		bHeld.complete(null);

		assertThat(ta).succeedsWithin(WAIT);
		assertThat(tb).succeedsWithin(WAIT);
		assertThat(tc).succeedsWithin(WAIT);
		assertThat(order).containsExactly("A", "B", "C");
		Cluster.roundTrip(instance());
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void cancelReleaseRace() {
		// test_cancel_release_race (bpo-32734): main holds the lock, t1..t3 wait; t1 is cancelled and
		// the lock released. Only one of them may get the lock.
		AsyncLock lock = lock("lock");
		AtomicInteger lockCount = new AtomicInteger();
		AtomicInteger callCount = new AtomicInteger();
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		Lockit t1 = new Lockit(lock, lockCount, callCount);
		Lockit t2 = new Lockit(lock, lockCount, callCount);
		Lockit t3 = new Lockit(lock, lockCount, callCount);
		queued("lock", 3);

		// trigger(): t1.cancel(); lock.release()
		assertThat(t1.acquired.cancel(false)).isTrue();
		lock.release();

		assertThat(t2.counted).succeedsWithin(WAIT);
		queued("lock", 1);
		assertThat(lockCount).hasValue(1);
		assertThat(callCount).hasValue(3);
		assertThat(t1.acquired).isCancelled();
		assertThat(t3.acquired).isNotDone();
		assertThat(lock.isLocked()).isTrue();

		// cleanup the task that is stuck on acquire
		assertThat(t3.acquired.cancel(false)).isTrue();
		queued("lock", 0);
		assertThat(lock.isLocked()).isTrue(); // t2 still holds it
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lockCount).hasValue(1);
	}

	@Test
	void cancelReleaseRaceWhenReleaseWins() {
		// test_cancel_release_race (bpo-32734), the other order: the release hands the lock to t1
		// first, so the cancel returns false and t1 holds it; still only one acquisition
		AsyncLock lock = lock("lock");
		AtomicInteger lockCount = new AtomicInteger();
		AtomicInteger callCount = new AtomicInteger();
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		Lockit t1 = new Lockit(lock, lockCount, callCount);
		Lockit t2 = new Lockit(lock, lockCount, callCount);
		Lockit t3 = new Lockit(lock, lockCount, callCount);
		queued("lock", 3);

		lock.release();
		assertThat(t1.counted).succeedsWithin(WAIT);
		assertThat(t1.acquired.cancel(false)).isFalse();

		queued("lock", 2);
		assertThat(lockCount).hasValue(1);
		assertThat(callCount).hasValue(3);
		assertThat(t2.acquired).isNotDone();
		assertThat(t3.acquired).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isEqualTo(2);

		assertThat(t2.acquired.cancel(false)).isTrue();
		assertThat(t3.acquired.cancel(false)).isTrue();
		queued("lock", 0);
		lock.release(); // t1's
		assertThat(lock.isLocked()).isFalse();
		assertThat(lockCount).hasValue(1);
	}

	@Test
	void finishedWaiterCancelled() {
		// test_finished_waiter_cancelled (bpo-27585): tb waits, tc next; tb is cancelled and the lock
		// released; the lock must not get stuck: tc gets it
		AsyncLock lock = lock("lock");
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isTrue();
		CompletableFuture<Void> tb = lock.acquire();
		CompletableFuture<Void> tc = lock.acquire();
		queued("lock", 2);

		assertThat(tb.cancel(false)).isTrue();
		lock.release();

		assertThat(tc).succeedsWithin(WAIT);
		assertThat(tb).isCancelled();
		assertThat(lock.isLocked()).isTrue();
		queued("lock", 0);
		lock.release(); // tc's
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void finishedWaiterCancelledAfterTheHandOff() {
		// test_finished_waiter_cancelled (bpo-27585), after the hand-off: tb holds the lock, the
		// cancel returns false, and tb's release passes it on (see the core's test)
		AsyncLock lock = lock("lock");
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		CompletableFuture<Void> tb = lock.acquire();
		CompletableFuture<Void> tc = lock.acquire();
		queued("lock", 2);

		lock.release();
		assertThat(tb).succeedsWithin(WAIT);
		assertThat(tb.cancel(false)).isFalse();

		queued("lock", 1);
		assertThat(tc).isNotDone();
		assertThat(lock.isLocked()).isTrue();
		lock.release(); // tb's
		assertThat(tc).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isTrue();
		queued("lock", 0);
		lock.release(); // tc's
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void releaseNotAcquired() {
		// test_release_not_acquired: asyncio's RuntimeError is an IllegalStateException (SPEC §2)
		AsyncLock lock = lock("lock");
		assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock 'lock': Lock is not acquired.");
		assertThat(lock.isLocked()).isFalse();

		assertThat(lock.acquire()).succeedsWithin(WAIT);
		lock.release();
		assertThatIllegalStateException().isThrownBy(lock::release).withMessage("Lock 'lock': Lock is not acquired.");
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.tryAcquire()).isTrue();
	}

	@Test
	void releaseNoWaiters() {
		// test_release_no_waiters
		AsyncLock lock = lock("lock");
		assertThat(lock.acquire()).succeedsWithin(WAIT);
		assertThat(lock.isLocked()).isTrue();

		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void contextManager() {
		// test_context_manager: `async with lock` is withLock
		AsyncLock lock = lock("lock");
		assertThat(lock.isLocked()).isFalse();
		AtomicBoolean lockedInside = new AtomicBoolean();
		CompletableFuture<Void> entered = new CompletableFuture<>();
		CompletableFuture<String> body = new CompletableFuture<>();

		CompletableFuture<String> result = lock.withLock(() -> {
			lockedInside.set(lock.isLocked());
			entered.complete(null);
			return body;
		});
		assertThat(entered).succeedsWithin(WAIT);
		assertThat(lockedInside).isTrue();
		assertThat(lock.isLocked()).isTrue();
		assertThat(result).isNotDone();

		body.complete("done");
		assertThat(result).succeedsWithin(WAIT).isEqualTo("done");
		Cluster.roundTrip(instance());
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void contextManagerWhenTheBodyFails() {
		// test_context_manager: __aexit__ releases on an exception too, and does not swallow it
		AsyncLock lock = lock("lock");
		IllegalArgumentException boom = new IllegalArgumentException("boom");

		CompletableFuture<String> result = lock.withLock(() -> CompletableFuture.failedFuture(boom));
		assertThat(failureOf(result)).isSameAs(boom);
		Cluster.roundTrip(instance());
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

	private static CompletableFuture<Void> done() {
		return CompletableFuture.completedFuture(null);
	}

	/**
	 * CPython's {@code lockit()} of bpo-32734: counts the call and the acquisition, never releases;
	 * the acquire future is there to cancel.
	 */
	private static final class Lockit {

		final CompletableFuture<Void> acquired;

		/** Completes once the acquisition has been counted. */
		final CompletableFuture<Void> counted;

		Lockit(AsyncLock lock, AtomicInteger lockCount, AtomicInteger callCount) {
			callCount.incrementAndGet();
			this.acquired = lock.acquire();
			this.counted = this.acquired.thenRun(lockCount::incrementAndGet);
		}

	}

}
