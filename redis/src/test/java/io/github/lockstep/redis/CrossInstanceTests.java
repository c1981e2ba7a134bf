package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances, each a {@link RedisPrimitives} on a client of its own, sharing one
 * primitive: real threads acquire, hold, cancel and time out at random, and the invariants of
 * SPEC §8 are checked across all of them; and FIFO order and hand-off across instances.
 */
class CrossInstanceTests {

	private static final int INSTANCES = 3;

	private static final int THREADS_PER_INSTANCE = 4;

	private static final int ROUNDS = 100;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis, Duration.ofSeconds(5));

	@Test
	void semaphoreNeverAdmitsMoreThanItsPermitsAcrossInstances() throws Exception {
		hammer("pool", 3, (instance) -> (PermitPrimitive) instance.bounded("pool", 3), false);
	}

	/** As {@code @Throttled} uses it: acquire(), then release() of no hold in particular. */
	@Test
	void plainSemaphoreReleasedAnonymouslyNeverAdmitsMoreThanItsPermitsAcrossInstances() throws Exception {
		hammer("pool", 3, (instance) -> (PermitPrimitive) instance.semaphore("pool", 3), true);
	}

	@Test
	void lockIsHeldByOneCallerAtATimeAcrossInstances() throws Exception {
		hammer("ledger", 1, (instance) -> (PermitPrimitive) instance.lock("ledger"), false);
	}

	/**
	 * Threads on every instance hammer one primitive (see {@link Hammer}); in the end Redis has
	 * every permit back and no instance keeps a local acquisition. {@code anonymous}: the threads
	 * release with {@code release()}, not a hold's ({@link Hammer#startAnonymous}).
	 */
	private void hammer(String name, int permits, Function<RedisPrimitives, PermitPrimitive> create, boolean anonymous)
			throws Exception {
		Hammer hammer = new Hammer(permits);
		List<PermitPrimitive> primitives = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			primitives.add(create.apply(this.cluster.instance()));
		}
		for (PermitPrimitive primitive : primitives) {
			if (anonymous) {
				hammer.startAnonymous(primitive, THREADS_PER_INSTANCE, ROUNDS);
			}
			else {
				hammer.start(primitive, THREADS_PER_INSTANCE, ROUNDS);
			}
		}
		hammer.join(Duration.ofSeconds(60));
		hammer.assertSafe();
		this.cluster.assertAllReturned(name, permits);
		for (PermitPrimitive primitive : primitives) {
			assertThat(primitive.permits().localCounts()).as("local acquisitions left on " + primitive).containsOnly(0);
		}
	}

	@Test
	void waitersAreServedInArrivalOrderAcrossInstances() {
		List<AsyncLock> locks = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			locks.add(this.cluster.instance().lock("ledger"));
		}
		assertThat(locks.get(0).tryAcquire()).isTrue();
		List<Integer> order = new CopyOnWriteArrayList<>();
		List<CompletableFuture<Void>> done = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			int position = i;
			AsyncLock lock = locks.get(i % INSTANCES);
			done.add(lock.acquire().thenRun(() -> {
				order.add(position);
				lock.release();
			}));
			// the next one arrives only once this one has its place in Redis's queue
			Cluster.await(() -> redis.admin().zcard(this.cluster.key("ledger", "q")) == position + 1,
					Duration.ofSeconds(5), () -> "waiter " + position + " queued");
		}
		locks.get(0).release();
		assertThat(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))).succeedsWithin(Duration.ofSeconds(10));
		assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void aReleaseOnOneInstanceHandsThePermitToAWaiterOnAnother() {
		AsyncSemaphore first = this.cluster.instance().semaphore("pool", 1);
		AsyncSemaphore second = this.cluster.instance().semaphore("pool", 1);
		assertThat(first.acquire()).succeedsWithin(Duration.ofSeconds(5));
		CompletableFuture<Void> waiter = second.acquire();
		this.cluster.awaitQueued("pool", 1);
		assertThat(waiter).isNotDone();
		first.release();
		assertThat(waiter).succeedsWithin(Duration.ofSeconds(5));
		// the permit went straight to the waiter: it was never free for a newcomer
		assertThat(first.tryAcquire()).isFalse();
		assertThat(second.state().availablePermits()).hasValue(0);
		second.release();
		this.cluster.assertAllReturned("pool", 1);
	}

}
