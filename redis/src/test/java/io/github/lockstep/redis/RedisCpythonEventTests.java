package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPython's {@code EventTests} ({@code Lib/test/test_asyncio/test_locks.py}, 3.13, catalogue
 * #13–18 in {@code asyncio-semantics.md} §2), case by case as the core's
 * {@code CpythonEventTests}, against an event in Redis. Each test has the core's name and the
 * Python one in a comment.
 *
 * <p>A wait's future completes on a Lettuce thread once Redis has answered, so where the core
 * asserts a completion right after {@code set()} these tests wait for it, bounded. A wait that must
 * not complete is asserted not done after {@link Cluster#roundTrip}: a later call of the same
 * instance has been answered, so the earlier wait's answer has been acted on. The tests use one
 * instance, where a {@code set()} wakes the waiters from its own reply, and {@link #waitCompletesEveryWaiter}
 * also waiters on two other instances, woken by the announcement.
 *
 * <p>All six cases run. {@code test_repr} (#13) reads {@code toString()}, which says
 * {@code [redis, …]}; the waiter count in it is this instance's.
 */
class RedisCpythonEventTests {

	private static final Duration WAIT = Outcomes.WAIT;

	private static final Duration LEASE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/**
	 * A lease of 10 s: these tests are about the primitive's semantics, not lease loss, which a
	 * loaded machine that stalls a 1 s lease's renewal would bring in (a spurious wake-up, a broken
	 * round).
	 */
	@RegisterExtension
	final Cluster cluster = new Cluster(redis, LEASE);

	@Test
	void repr() {
		// test_repr
		RedisPrimitives instance = this.cluster.instance();
		AsyncEvent ev = instance.event("cache-warm");
		assertThat(ev.toString()).isEqualTo("Event 'cache-warm' [redis, unset]");
		CompletableFuture<Void> waiter = ev.await();
		Cluster.roundTrip(instance);
		assertThat(ev.toString()).isEqualTo("Event 'cache-warm' [redis, unset, waiters:1]");
		ev.set();
		assertThat(waiter).succeedsWithin(WAIT);
		assertThat(ev.toString()).isEqualTo("Event 'cache-warm' [redis, set]");
	}

	@Test
	void waitCompletesEveryWaiter() {
		// test_wait
		RedisPrimitives instance = this.cluster.instance();
		AsyncEvent ev = instance.event("ev");
		assertThat(ev.isSet()).isFalse();
		List<Integer> result = Collections.synchronizedList(new ArrayList<>());

		CompletableFuture<Void> t1 = ev.await().thenRun(() -> result.add(1));
		CompletableFuture<Void> t2 = ev.await().thenRun(() -> result.add(2));
		Cluster.roundTrip(instance);
		assertThat(result).isEmpty();
		assertThat(ev.queueLength()).isEqualTo(2);

		ev.set();
		// asyncio: [3, 1, 2] (see the core's test). Here the reply to set() wakes this instance's
		// waiters in the order they started; t3, which starts once they have, returns at once.
		assertThat(t1).succeedsWithin(WAIT);
		assertThat(t2).succeedsWithin(WAIT);
		assertThat(result).containsExactly(1, 2);
		assertThat(ev.queueLength()).isZero();
		CompletableFuture<Void> t3 = ev.await().thenRun(() -> result.add(3));
		assertThat(t3).succeedsWithin(WAIT);
		assertThat(result).containsExactly(1, 2, 3);
	}

	@Test
	void waitCompletesEveryWaiterOnEveryInstance() {
		// test_wait, with the waiters on two other instances than the one that sets
		List<RedisPrimitives> instances = List.of(this.cluster.instance(), this.cluster.instance());
		List<Integer> result = Collections.synchronizedList(new ArrayList<>());
		List<CompletableFuture<Void>> tasks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int id = i;
			tasks.add(instances.get(i % 2).event("ev").await().thenRun(() -> result.add(id)));
		}
		instances.forEach(Cluster::roundTrip);
		assertThat(result).isEmpty();

		this.cluster.instance().event("ev").set();
		assertThat(tasks).allSatisfy((task) -> assertThat(task).succeedsWithin(WAIT));
		assertThat(result).containsExactlyInAnyOrder(0, 1, 2, 3);
		// in the order they started, on each instance
		assertThat(result.stream().filter((id) -> id % 2 == 0).toList()).containsExactly(0, 2);
		assertThat(result.stream().filter((id) -> id % 2 == 1).toList()).containsExactly(1, 3);
		for (RedisPrimitives instance : instances) {
			assertThat(instance.event("ev").await()).succeedsWithin(WAIT);
		}
	}

	@Test
	void waitOnSet() {
		// test_wait_on_set
		AsyncEvent ev = this.cluster.instance().event("ev");
		ev.set();

		assertThat(ev.await()).succeedsWithin(WAIT);
		assertThat(ev.await(Duration.ZERO)).succeedsWithin(WAIT);
		assertThat(ev.queueLength()).isZero();
	}

	@Test
	void waitCancel() {
		// test_wait_cancel
		RedisPrimitives instance = this.cluster.instance();
		AsyncEvent ev = instance.event("ev");

		CompletableFuture<Void> wait = ev.await();
		assertThat(ev.queueLength()).isEqualTo(1);
		assertThat(wait.cancel(false)).isTrue();
		assertThat(wait).isCancelled();
		assertThat(ev.queueLength()).isZero();

		// a later set() does not touch the cancelled wait, whose answer from Redis came meanwhile
		ev.set();
		Cluster.roundTrip(instance);
		assertThat(wait).isCancelled();
		assertThat(ev.isSet()).isTrue();
		assertThat(ev.queueLength()).isZero();
	}

	@Test
	void waitCancelWhenSetWins() {
		// test_wait_cancel, the other order: set() reaches the waiter first
		AsyncEvent ev = this.cluster.instance().event("ev");
		CompletableFuture<Void> wait = ev.await();

		ev.set();
		assertThat(wait).succeedsWithin(WAIT);
		assertThat(wait.cancel(false)).isFalse();

		assertThat(wait).isCompletedWithValue(null);
		assertThat(ev.queueLength()).isZero();
	}

	@Test
	void clear() {
		// test_clear
		AsyncEvent ev = this.cluster.instance().event("ev");
		assertThat(ev.isSet()).isFalse();

		ev.set();
		assertThat(ev.isSet()).isTrue();

		ev.clear();
		assertThat(ev.isSet()).isFalse();
	}

	@Test
	void clearWithWaiters() {
		// test_clear_with_waiters (gh-101359): clear() does not un-wake a waiter set() woke
		RedisPrimitives instance = this.cluster.instance();
		AsyncEvent ev = instance.event("ev");
		List<Integer> result = Collections.synchronizedList(new ArrayList<>());
		CompletableFuture<Boolean> t = ev.await().thenApply((ignored) -> result.add(1));
		Cluster.roundTrip(instance);
		assertThat(result).isEmpty();

		ev.set();
		ev.clear();
		assertThat(ev.isSet()).isFalse();
		assertThat(t).succeedsWithin(WAIT).isEqualTo(true);
		assertThat(result).containsExactly(1);

		ev.set();
		ev.set();
		assertThat(ev.queueLength()).isZero();
		assertThat(result).containsExactly(1);

		// docs: after clear(), subsequent waits block again
		ev.clear();
		CompletableFuture<Void> later = ev.await();
		assertThat(ev.await(Duration.ZERO)).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(later).isNotDone();
		assertThat(ev.queueLength()).isEqualTo(1);
		ev.set();
		assertThat(later).succeedsWithin(WAIT);
	}

}
