package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.BarrierBrokenException;
import io.github.lockstep.LockstepException;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The barrier across instances (each a {@link RedisPrimitives} on a client of its own) and when
 * things go wrong: a dead party, lost announcements, killed connections, a Redis restart.
 */
class RedisBarrierTests {

	/** A lease of 1 s is renewed every 333 ms: a dead party or a lost message is dealt with well within this. */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	private static final int PARTIES = 5;

	private static final int ROUNDS = 100;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	/** Instances with a lease of their own, closed after each test. */
	private final List<RedisPrimitives> closing = new ArrayList<>();

	/** The first calls of a JVM on a loaded machine can take longer than a 1 s lease: not in a test. */
	@BeforeAll
	static void warmUp() throws Exception {
		try (RedisPrimitives instance = RedisPrimitives.create(redis.client(Duration.ofSeconds(10)),
				RedisPrimitivesOptions.defaults().withKeyPrefix("warm-up"))) {
			AsyncBarrier barrier = instance.barrier("warm-up", 2);
			CompletableFuture<Integer> first = barrier.await();
			barrier.await().get(30, TimeUnit.SECONDS);
			first.get(30, TimeUnit.SECONDS);
		}
	}

	@AfterEach
	void closeInstances() {
		this.closing.forEach(RedisPrimitives::close);
	}

	@Test
	void fivePartiesOnThreeInstancesGetUniqueIndicesInEveryRound() throws Exception {
		int[][] indices = rounds(ROUNDS, Cluster.LEASE, () -> { });
		for (int round = 0; round < ROUNDS; round++) {
			List<Integer> seen = new ArrayList<>();
			for (int party = 0; party < PARTIES; party++) {
				seen.add(indices[party][round]);
			}
			assertThat(seen).as("indices of round " + round).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		}
	}

	@Test
	void roundsGoOnWithUniqueIndicesWhileConnectionsAreKilled() throws Exception {
		AtomicInteger kills = new AtomicInteger();
		// a lease of 5 s: a reconnect that takes longer than 1 s on a loaded machine must not break the barrier
		int[][] indices = rounds(40, Duration.ofSeconds(5), () -> {
			if (kills.get() < 4) {
				KillArgs kill = (kills.getAndIncrement() % 2 == 0) ? KillArgs.Builder.typeNormal().skipme()
						: KillArgs.Builder.typePubsub();
				redis.admin().clientKill(kill);
			}
		});
		for (int round = 0; round < 40; round++) {
			List<Integer> seen = new ArrayList<>();
			for (int party = 0; party < PARTIES; party++) {
				seen.add(indices[party][round]);
			}
			assertThat(seen).as("indices of round " + round).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
		}
		assertThat(kills).hasValueGreaterThanOrEqualTo(4);
	}

	/**
	 * Five threads, two on each of two instances and one on a third, each its own party, go through
	 * the rounds with blocking waits; {@code everyTenRounds} runs on the first party's thread. The
	 * instances have the given lease.
	 * @return the index each party had in each round
	 */
	private int[][] rounds(int rounds, Duration lease, Runnable everyTenRounds) throws Exception {
		List<AsyncBarrier> barriers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			RedisPrimitives instance = RedisPrimitives.create(redis.client(Duration.ofSeconds(2)),
					this.cluster.options().withLease(lease));
			this.closing.add(instance);
			barriers.add(instance.barrier("batch", PARTIES));
		}
		int[][] indices = new int[PARTIES][rounds];
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> threads = new ArrayList<>();
		for (int party = 0; party < PARTIES; party++) {
			AsyncBarrier barrier = barriers.get(party % 3);
			int me = party;
			Thread thread = new Thread(() -> {
				try {
					for (int round = 0; round < rounds; round++) {
						if (me == 0 && round % 10 == 5) {
							everyTenRounds.run();
						}
						indices[me][round] = barrier.await().get(30, TimeUnit.SECONDS);
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}, "party-" + party);
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join(Duration.ofSeconds(90).toMillis());
			assertThat(thread.isAlive()).as(thread.getName() + " still running").isFalse();
		}
		assertThat(failure.get()).isNull();
		assertThat(barriers).allSatisfy((barrier) -> assertThat(barrier.isBroken()).isFalse());
		return indices;
	}

	@Test
	void aPartyWhoseInstanceDiesBreaksTheRoundWithinTheLease() throws Exception {
		RedisPrimitives dying = this.cluster.instance();
		AsyncBarrier there = dying.barrier("batch", 3);
		AsyncBarrier here = this.cluster.instance().barrier("batch", 3);
		CompletableFuture<Integer> doomed = there.await();
		CompletableFuture<Integer> waiting = here.await();
		awaitArrivals("batch", 2);
		long killed = System.nanoTime();
		dying.engine().crash();
		assertThat(waiting).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BarrierBrokenException.class)
			.withMessageContaining("a party's instance lost its lease");
		assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Cluster.LEASE.multipliedBy(3));
		assertThat(doomed).isNotDone();
		assertThat(here.isBroken()).isTrue();
		assertThat(here.await()).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("Barrier 'batch': Barrier aborted");
		here.reset();
		AsyncBarrier third = this.cluster.instance().barrier("batch", 3);
		CompletableFuture<Integer> first = here.await();
		CompletableFuture<Integer> second = third.await();
		awaitArrivals("batch", 2);
		assertThat(here.await()).succeedsWithin(RECOVERY).isEqualTo(2);
		assertThat(List.of(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS))).containsExactly(0, 1);
	}

	@Test
	void aTimedOutOrCancelledPartyOnAnotherInstanceLeavesWithoutBreaking() throws Exception {
		AsyncBarrier a = this.cluster.instance().barrier("batch", 2);
		AsyncBarrier b = this.cluster.instance().barrier("batch", 2);
		assertThat(a.await(Duration.ofMillis(200))).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(AcquireTimeoutException.class);
		CompletableFuture<Integer> cancelled = a.await();
		awaitArrivals("batch", 1);
		assertThat(cancelled.cancel(false)).isTrue();
		awaitArrivals("batch", 0);
		CompletableFuture<Integer> first = b.await();
		awaitArrivals("batch", 1);
		assertThat(first).isNotDone();
		assertThat(a.await()).succeedsWithin(RECOVERY).isEqualTo(1);
		assertThat(first).succeedsWithin(RECOVERY).isEqualTo(0);
		assertThat(a.isBroken()).isFalse();
	}

	@Test
	void aWithdrawalIsNotOvertakenByTheNextArrivalWhileRedisDoesNotKnowItsScript() throws Exception {
		redis.admin().scriptFlush();
		AsyncBarrier barrier = this.cluster.instance().barrier("batch", 2);
		CompletableFuture<Integer> left = barrier.await();
		awaitArrivals("batch", 1);
		// the first LEAVE is the script's first call: a NOSCRIPT fallback would run after the next
		// ARRIVE, which the pause makes sure is sent before the NOSCRIPT reply can come
		redis.admin().clientPause(300);
		assertThat(left.cancel(false)).isTrue();
		CompletableFuture<Integer> next = barrier.await();
		awaitArrivals("batch", 1);
		assertThat(next).isNotDone();
		assertThat(redis.admin().zrange(this.cluster.key("batch", "b:a"), 0, -1)).hasSize(1)
			.noneMatch((id) -> redis.admin().hget(this.cluster.key("batch", "b:r"), id) != null);
	}

	@Test
	void abortOnOneInstanceBreaksTheWaitersOfEveryOther() throws Exception {
		AsyncBarrier a = this.cluster.instance().barrier("batch", 4);
		AsyncBarrier b = this.cluster.instance().barrier("batch", 4);
		AsyncBarrier c = this.cluster.instance().barrier("batch", 4);
		List<CompletableFuture<Integer>> waiters = List.of(a.await(), b.await(), b.await());
		awaitArrivals("batch", 3);
		c.abort();
		assertThat(waiters).allSatisfy((waiter) -> assertThat(waiter).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.withMessage("Barrier 'batch': Abort or reset of barrier"));
		// the announcement told the others that it is broken
		assertThat(a.isBroken()).isTrue();
		assertThat(b.isBroken()).isTrue();
		c.reset();
		List<CompletableFuture<Integer>> next = List.of(a.await(), b.await(), c.await());
		awaitArrivals("batch", 3);
		assertThat(b.await()).succeedsWithin(RECOVERY).isEqualTo(3);
		assertThat(next).allSatisfy((waiter) -> assertThat(waiter).succeedsWithin(RECOVERY));
	}

	@Test
	void lostAnnouncementsAreMadeUpByTheRenewal() throws Exception {
		RedisPrimitives deaf = this.cluster.instance();
		AtomicInteger dropped = new AtomicInteger();
		deaf.engine().link.dropMessage = (message) -> message.startsWith("!b ") && dropped.incrementAndGet() > 0;
		AsyncBarrier there = deaf.barrier("batch", 2);
		AsyncBarrier here = this.cluster.instance().barrier("batch", 2);
		CompletableFuture<Integer> waiting = there.await();
		awaitArrivals("batch", 1);
		assertThat(here.await()).succeedsWithin(RECOVERY).isEqualTo(1);
		assertThat(waiting).succeedsWithin(RECOVERY).isEqualTo(0);
		assertThat(dropped).hasValue(1);
	}

	@Test
	void aRedisRestartBreaksTheWaitsItForgot() throws Exception {
		AsyncBarrier a = this.cluster.instance().barrier("batch", 3);
		CompletableFuture<Integer> waiting = a.await();
		awaitArrivals("batch", 1);
		// the instance must have read Redis's answer: an arrival still unanswered when Redis dies is
		// sent again by Lettuce after the reconnect, and the new Redis then rightly queues it
		Cluster.await(() -> !((RedisBarrier) a).queuedIds().isEmpty(), RECOVERY, () -> "the arrival answered");
		redis.kill();
		redis.restart();
		assertThat(waiting).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BarrierBrokenException.class)
			.withMessageContaining("Redis no longer knows this arrival");
		AsyncBarrier b = this.cluster.instance().barrier("batch", 3);
		CompletableFuture<Integer> first = a.await();
		CompletableFuture<Integer> second = b.await();
		awaitArrivals("batch", 2);
		assertThat(b.await()).succeedsWithin(RECOVERY).isEqualTo(2);
		assertThat(first).succeedsWithin(RECOVERY);
		assertThat(second).succeedsWithin(RECOVERY);
	}

	@Test
	void aReSentArrivalIsCountedOnceAndGetsTheSameIndex() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		RedisBarrier barrier = (RedisBarrier) instance.barrier("batch", 2);
		RedisBackend engine = instance.engine();
		String[] arrive = { engine.instance, engine.leaseMillis, engine.inboxPrefix, "60000", "2", engine.instance + ":x1",
				"wait" };
		assertThat(engine.link.eval(SyncScript.BARRIER_ARRIVE, barrier.keys(), arrive).get(5, TimeUnit.SECONDS).get(0))
			.isEqualTo(1L);
		assertThat(engine.link.eval(SyncScript.BARRIER_ARRIVE, barrier.keys(), arrive).get(5, TimeUnit.SECONDS).get(0))
			.isEqualTo(1L);
		assertThat(redis.admin().zcard(barrier.keys()[1])).isEqualTo(1);
		assertThat(barrier.await()).succeedsWithin(RECOVERY).isEqualTo(1);
		List<Object> again = engine.link.eval(SyncScript.BARRIER_ARRIVE, barrier.keys(), arrive).get(5, TimeUnit.SECONDS);
		assertThat(again.subList(0, 2)).containsExactly(2L, 0L);
		assertThat(redis.admin().zcard(barrier.keys()[1])).isZero();
	}

	@Test
	void instancesThatDisagreeOnThePartiesAreRefusedByName() throws Exception {
		AsyncBarrier three = this.cluster.instance().barrier("batch", 3);
		AsyncBarrier four = this.cluster.instance().barrier("batch", 4);
		CompletableFuture<Integer> waiting = three.await();
		awaitArrivals("batch", 1);
		assertThat(four.await()).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(LockstepException.class)
			.withMessage("Barrier 'batch': Redis already has 'batch' with 3 parties, but this instance asks for 4;"
					+ " give it the same parties on every instance, or another name");
		assertThat(waiting).isNotDone();
	}

	private void awaitArrivals(String name, int count) {
		Cluster.await(() -> redis.admin().zcard(this.cluster.key(name, "b:a")) == count, RECOVERY.multipliedBy(2),
				() -> count + " arrivals in Redis at '" + name + "'");
	}

}
