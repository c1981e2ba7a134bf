package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPython's {@code Lib/test/test_asyncio/test_locks.py} {@code EventTests} (3.13, tests #13–18 of
 * the catalogue in {@code asyncio-semantics.md} §2), ported to {@link AsyncEvent}.
 *
 * <p>asyncio's {@code set()} schedules the waiting tasks; Lockstep's completes their futures before
 * it returns (SPEC §2), so the orders CPython observes after {@code await asyncio.sleep(0)} are
 * observed here right after {@code set()}, and a waiter is out of the queue as soon as it is
 * completed. A cancellation in the same loop step as {@code set()} maps to {@code cancel()} racing
 * {@code set()}, tested in both orders.
 *
 * <p>{@code test_repr} (#13) is ported as {@link #repr()}: it queues a real waiter where CPython
 * appends a {@code mock.Mock()} to the private {@code _waiters} deque, and asserts asyncio's
 * {@code [unset, waiters:1]} / {@code [set]} in {@code toString()}, not Python's
 * {@code <asyncio.locks.Event object at 0x…>} prefix.
 */
class CpythonEventTests {

	@Test
	void repr() {
		// test_repr
		AsyncEvent ev = AsyncEvent.create("cache-warm");
		assertThat(ev.toString()).contains("cache-warm").contains("[unset]");
		CompletableFuture<Void> waiter = ev.await();
		assertThat(ev.toString()).isEqualTo("Event 'cache-warm' [unset, waiters:1]");
		ev.set();
		assertThat(waiter).isCompleted();
		assertThat(ev.toString()).isEqualTo("Event 'cache-warm' [set]");
	}

	@Test
	void waitCompletesEveryWaiter() {
		// test_wait (a test method cannot be called wait(): Object.wait is final)
		AsyncEvent ev = AsyncEvent.create("ev");
		assertThat(ev.isSet()).isFalse();
		List<Integer> result = new ArrayList<>();

		CompletableFuture<Void> t1 = ev.await().thenRun(() -> result.add(1));
		CompletableFuture<Void> t2 = ev.await().thenRun(() -> result.add(2));
		assertThat(result).isEmpty();
		assertThat(ev.queueLength()).isEqualTo(2);

		ev.set();
		// asyncio gets [3, 1, 2]: t3 is created before set() but only starts in the next tick,
		// where it finds the flag set and returns without suspending, ahead of t1 and t2 whose
		// wake-ups set() scheduled. Here set() has completed t1 and t2, in the order they started
		// waiting, before it returns, and t3's wait that starts afterwards completes at once.
		assertThat(result).containsExactly(1, 2);
		assertThat(ev.queueLength()).isZero();
		CompletableFuture<Void> t3 = ev.await().thenRun(() -> result.add(3));
		assertThat(result).containsExactly(1, 2, 3);

		assertThat(t1).isCompletedWithValue(null);
		assertThat(t2).isCompletedWithValue(null);
		assertThat(t3).isCompletedWithValue(null);
	}

	@Test
	void waitOnSet() {
		// test_wait_on_set
		AsyncEvent ev = AsyncEvent.create("ev");
		ev.set();

		assertThat(ev.await()).isCompletedWithValue(null);
		// a timed wait on a set event does not wait either, even with a zero timeout
		assertThat(ev.await(Duration.ZERO)).isCompletedWithValue(null);
		assertThat(ev.queueLength()).isZero();
	}

	@Test
	void waitCancel() {
		// test_wait_cancel
		AsyncEvent ev = AsyncEvent.create("ev");

		CompletableFuture<Void> wait = ev.await();
		assertThat(ev.queueLength()).isEqualTo(1);
		assertThat(wait.cancel(false)).isTrue();
		assertThat(wait).isCancelled();
		assertThat(ev.queueLength()).isZero();

		// a later set() does not touch the cancelled wait
		ev.set();
		assertThat(wait).isCancelled();
		assertThat(ev.isSet()).isTrue();
	}

	@Test
	void waitCancelWhenSetWins() {
		// test_wait_cancel, the other order: set() reaches the waiter first. asyncio's Event does
		// nothing for a woken-then-cancelled waiter; here cancel() returns false and the wait has
		// completed normally (SPEC §2).
		AsyncEvent ev = AsyncEvent.create("ev");
		CompletableFuture<Void> wait = ev.await();

		ev.set();
		assertThat(wait.cancel(false)).isFalse();

		assertThat(wait).isCompletedWithValue(null);
		assertThat(ev.queueLength()).isZero();
	}

	@Test
	void clear() {
		// test_clear
		AsyncEvent ev = AsyncEvent.create("ev");
		assertThat(ev.isSet()).isFalse();

		ev.set();
		assertThat(ev.isSet()).isTrue();

		ev.clear();
		assertThat(ev.isSet()).isFalse();
	}

	@Test
	void clearWithWaiters() {
		// test_clear_with_waiters (gh-101359): clear() does not un-wake a waiter set() woke
		AsyncEvent ev = AsyncEvent.create("ev");
		List<Integer> result = new ArrayList<>();
		CompletableFuture<Boolean> t = ev.await().thenApply((ignored) -> result.add(1));
		assertThat(result).isEmpty();

		ev.set();
		ev.clear();
		assertThat(ev.isSet()).isFalse();
		// asyncio: the waiter returns True in the next tick; here set() completed it already
		assertThat(result).containsExactly(1);

		ev.set();
		ev.set();
		// asyncio still has the woken future in _waiters (len 1) until its task runs; set() took
		// it out of the queue at once
		assertThat(ev.queueLength()).isZero();
		assertThat(result).containsExactly(1);
		assertThat(t).isCompletedWithValue(true);

		// docs: after clear(), subsequent waits block again
		ev.clear();
		CompletableFuture<Void> later = ev.await();
		assertThat(later).isNotDone();
		assertThat(ev.queueLength()).isEqualTo(1);
		ev.set();
		assertThat(later).isCompleted();
	}

}
