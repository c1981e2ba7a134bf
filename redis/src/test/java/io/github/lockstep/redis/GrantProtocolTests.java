package io.github.lockstep.redis;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grant protocol as Redis and other clients see it: a grant is recorded before it is
 * announced, a grant that raced a cancel is passed on, every script may be sent twice, one
 * renewal call and one subscription serve a whole instance, and a waiter holds no thread.
 */
class GrantProtocolTests {

	private static final Duration WITHIN = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	/** For the tests that queue thousands at once: a renewal sent behind them takes seconds. */
	@RegisterExtension
	final Cluster longLease = new Cluster(redis, Duration.ofSeconds(30));

	@Test
	void aGrantIsInRedisBeforeItsAnnouncementArrives() throws Exception {
		RedisPrimitives holding = this.cluster.instance();
		RedisPrimitives waiting = this.cluster.instance();
		AsyncLock holder = holding.lock("ledger");
		assertThat(holder.acquire()).succeedsWithin(WITHIN);
		List<String> seen = new CopyOnWriteArrayList<>();
		StatefulRedisPubSubConnection<String, String> listener = redis.client().connectPubSub();
		RedisCommands<String, String> checker = redis.client().connect().sync();
		CompletableFuture<Void> checked = new CompletableFuture<>();
		listener.addListener(new RedisPubSubAdapter<>() {
			@Override
			public void message(String channel, String message) {
				String wid = message.split(" ")[0];
				// another connection asks Redis the moment the announcement is out
				CompletableFuture.runAsync(() -> {
					seen.add(wid + "=" + checker.zscore(GrantProtocolTests.this.cluster.key("ledger", "h"), wid));
					checked.complete(null);
				});
			}
		});
		listener.sync().subscribe(this.cluster.prefix() + ":inbox:" + waiting.engine().instance);
		CompletableFuture<Void> waiter = waiting.lock("ledger").acquire();
		this.cluster.awaitQueued("ledger", 1);
		holder.release();
		assertThat(waiter).succeedsWithin(WITHIN);
		assertThat(checked).succeedsWithin(WITHIN);
		assertThat(seen).singleElement().asString().doesNotEndWith("=null");
		listener.close();
	}

	@Test
	void aCancelThatLosesTheRaceToAnUnheardGrantPassesThePermitOn() {
		RedisPrimitives deaf = this.cluster.instance();
		deaf.engine().link.dropMessage = (message) -> true;
		AsyncSemaphore holder = this.cluster.instance().bounded("pool", 1);
		AsyncSemaphore unlucky = deaf.bounded("pool", 1);
		AsyncSemaphore next = this.cluster.instance().bounded("pool", 1);
		assertThat(holder.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Void> first = unlucky.acquire();
		this.cluster.awaitQueued("pool", 1);
		CompletableFuture<Void> second = next.acquire();
		this.cluster.awaitQueued("pool", 2);
		holder.release();
		// Redis granted the deaf instance, which has not heard; its caller gives up
		this.cluster.awaitQueued("pool", 1);
		assertThat(redis.admin().zcard(this.cluster.key("pool", "h"))).isEqualTo(1);
		if (first.cancel(false)) {
			assertThat(second).as("the raced grant went on to the next waiter").succeedsWithin(WITHIN);
			next.release();
		}
		else {
			// the renewal heard of the grant first: the caller holds the permit, and gives it back
			assertThat(first).isCompleted();
			unlucky.release();
			assertThat(second).succeedsWithin(WITHIN);
			next.release();
		}
		this.cluster.assertAllReturned("pool", 1);
	}

	@Test
	void everyScriptMayBeSentTwice() {
		// what Lettuce does after a reconnect that lost the replies: the same call again
		String inst = "replayed";
		assertThat(call(Script.ACQUIRE, inst, "replayed:1", "wait")).startsWith(1L);
		List<Object> grantedAgain = call(Script.ACQUIRE, inst, "replayed:1", "wait");
		assertThat(grantedAgain.get(0)).isEqualTo(1L);
		assertThat(call(Script.ACQUIRE, inst, "replayed:1", "wait").get(1)).isEqualTo(grantedAgain.get(1));
		assertThat(call(Script.ACQUIRE, inst, "replayed:2", "wait")).startsWith(2L);
		assertThat(call(Script.ACQUIRE, inst, "replayed:2", "wait")).startsWith(2L);
		assertThat(redis.admin().zcard(this.cluster.key("pool", "q"))).isEqualTo(1);
		// released twice: the permit goes to the waiter once, and no free permit appears
		assertThat(call(Script.RELEASE, inst, "replayed:1")).startsWith(1L);
		assertThat(call(Script.RELEASE, inst, "replayed:1")).startsWith(1L);
		assertThat(this.cluster.field("pool", "avail")).isEqualTo("0");
		assertThat(redis.admin().zrange(this.cluster.key("pool", "h"), 0, -1)).containsExactly("replayed:2");
		// cancelled twice after its grant: passed on once, then gone
		assertThat(call(Script.CANCEL, inst, "replayed:2")).startsWith(2L);
		assertThat(call(Script.CANCEL, inst, "replayed:2")).startsWith(3L);
		assertThat(this.cluster.field("pool", "avail")).isEqualTo("1");
		// an acquisition re-sent after its cancel is refused, not granted
		assertThat(call(Script.ACQUIRE, inst, "replayed:2", "wait")).startsWith(4L);
		assertThat(this.cluster.field("pool", "avail")).isEqualTo("1");
		assertThat(redis.admin().zcard(this.cluster.key("pool", "h"))).isZero();
		assertThat(redis.admin().zcard(this.cluster.key("pool", "q"))).isZero();
	}

	private List<Object> call(Script script, String inst, String... op) {
		String[] keys = { this.cluster.key("pool", "m"), this.cluster.key("pool", "q"), this.cluster.key("pool", "h"),
				this.cluster.key("pool", "o"), this.cluster.key("pool", "l"), this.cluster.key("pool", "d") };
		List<String> args = new ArrayList<>(List.of(inst, "60000", this.cluster.prefix() + ":inbox:", "60000",
				"semaphore", "1", "1", ""));
		args.addAll(List.of(op));
		return redis.admin().eval(script.text(), ScriptOutputType.MULTI, keys, args.toArray(String[]::new));
	}

	@Test
	void oneRenewalCallPerIntervalServesAllOfAnInstancesPrimitives() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		List<AsyncLock> locks = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			AsyncLock lock = instance.lock("lock-" + i);
			assertThat(lock.acquire()).succeedsWithin(WITHIN);
			locks.add(lock);
		}
		redis.admin().configResetstat();
		long started = System.nanoTime();
		TimeUnit.MILLISECONDS.sleep(Cluster.LEASE.multipliedBy(3).toMillis()); // measuring an interval, not coordinating
		String stats = redis.admin().info("commandstats");
		long calls = scriptCalls(stats);
		double intervals = (System.nanoTime() - started) / (double) instance.engine().renewalInterval.toNanos();
		// one call per interval (and the odd extra from a tick that ran late), not one per primitive
		assertThat(calls).as(stats).isBetween((long) Math.floor(intervals) - 2, (long) Math.ceil(intervals) + 2);
		for (AsyncLock lock : locks) {
			lock.release();
		}
	}

	private static long scriptCalls(String stats) {
		long calls = 0;
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
				calls += Long.parseLong(line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1"));
			}
		}
		return calls;
	}

	@Test
	void oneSubscriptionPerInstanceWhateverItsPrimitivesAndWaiters() {
		RedisPrimitives holding = this.cluster.instance();
		RedisPrimitives waiting = this.cluster.instance();
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			AsyncSemaphore held = holding.semaphore("pool-" + i, 1);
			assertThat(held.acquire()).succeedsWithin(WITHIN);
			AsyncSemaphore wanted = waiting.semaphore("pool-" + i, 1);
			for (int j = 0; j < 5; j++) {
				waiters.add(wanted.acquire());
			}
		}
		for (int i = 0; i < 20; i++) {
			this.cluster.awaitQueued("pool-" + i, 5);
		}
		List<String> channels = redis.admin().pubsubChannels(this.cluster.prefix() + ":*");
		assertThat(channels).containsExactlyInAnyOrder(this.cluster.prefix() + ":inbox:" + holding.engine().instance,
				this.cluster.prefix() + ":inbox:" + waiting.engine().instance);
		assertThat(redis.admin().clientList().lines().filter((client) -> client.contains(" sub=1 "))).hasSize(2);
		waiters.forEach((waiter) -> waiter.cancel(false));
	}

	@Test
	void tenThousandWaitersHoldNoThread() {
		RedisPrimitives instance = this.longLease.instance(Duration.ofSeconds(30));
		AsyncLock lock = instance.lock("ledger");
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		int before = ManagementFactory.getThreadMXBean().getThreadCount();
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			waiters.add(lock.acquire());
		}
		Cluster.await(() -> redis.admin().zcard(this.longLease.key("ledger", "q")) == 10_000, Duration.ofSeconds(30),
				() -> "10,000 queued");
		assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads")
			.isLessThanOrEqualTo(before + 4);
		waiters.forEach((waiter) -> waiter.cancel(false));
		lock.release();
		this.longLease.assertAllReturned("ledger", 1);
	}

	@Test
	void renewalsDuringAStreamOfHandOffsDoNotMistakeItForLostPlaces() throws Exception {
		RedisPrimitives instance = this.cluster.instance(Duration.ofSeconds(30));
		AsyncLock lock = instance.lock("ledger");
		RedisPermits permits = ((RedisLock) lock).permits();
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		int chain = 3000;
		AtomicInteger served = new AtomicInteger();
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		for (int i = 0; i < chain; i++) {
			waiters.add(lock.acquire().thenRun(() -> {
				served.incrementAndGet();
				lock.release();
			}));
		}
		this.cluster.awaitQueued("ledger", chain);
		int inspectionsBefore = permits.inspections.get();
		lock.release();
		// renew as often as Redis answers while the waiters are granted one after another
		int renewals = 0;
		while (served.get() < chain && renewals < 10_000) {
			instance.engine().renewal.tick().get(10, TimeUnit.SECONDS);
			renewals++;
		}
		assertThat(CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new))).succeedsWithin(WITHIN);
		assertThat(renewals).as("renewals while granting").isPositive();
		assertThat(permits.inspections.get() - inspectionsBefore).as("lists asked for").isZero();
		this.cluster.assertAllReturned("ledger", 1);
	}


	/**
	 * A hand-off on one instance is announced on the inbox and answered on the command connection,
	 * in either order. When the announcement came first, the release still counted as unanswered
	 * was taken off a snapshot that already had it, and the new holder read {@code isLocked()}
	 * false (found by the CPython condition port: its predicate runs holding the lock).
	 */
	/**
	 * A hand-off can pass through another instance: this instance's release hands the lock to B's
	 * waiter, whose release hands it to this instance's next waiter, and that announcement names
	 * B's release, not this one's. It can come before the reply to this instance's release; the new
	 * holder must see the lock locked all the same. Redis's writes are paused to hold the reply
	 * back, and the announcement is delivered as B's release would make it.
	 */
	@Test
	void aHandOffThroughAnotherInstanceThatOvertakesTheReleasesReplyLeavesTheLockLocked() {
		RedisPrimitives instance = this.cluster.instance();
		AsyncLock lock = instance.lock("ledger");
		assertThat(lock.acquire()).succeedsWithin(WITHIN);
		CompletableFuture<Boolean> next = lock.acquire().thenApply((held) -> lock.isLocked());
		this.cluster.awaitQueued("ledger", 1);
		Cluster.roundTrip(instance);
		String waiter = redis.admin().zrange(this.cluster.key("ledger", "q"), 0, 0).get(0);
		RedisPermits permits = ((PermitPrimitive) lock).permits();
		redis.pauseWrites(WITHIN);
		try {
			CompletableFuture<Void> released = lock.releaseAsync();
			long version = permits.snapshot().version();
			instance.engine().granted(waiter, 1, new Snapshot(0, 0, 1, version + 1), null);
			assertThat(next).succeedsWithin(WITHIN).isEqualTo(true);
			assertThat(lock.isLocked()).isTrue();
			assertThat(released).isNotDone();
		}
		finally {
			redis.unpause();
		}
		Cluster.roundTrip(instance);
		assertThat(lock.isLocked()).isTrue();
		lock.release();
		this.cluster.assertAllReturned("ledger", 1);
	}

	@Test
	void theHolderOfAHandOffSeesTheLockLockedWhicheverOfReplyAndAnnouncementComesFirst() {
		RedisPrimitives instance = this.cluster.instance();
		AsyncLock lock = instance.lock("ledger");
		List<Boolean> lockedWhenGranted = new ArrayList<>();
		for (int round = 0; round < 30; round++) {
			assertThat(lock.acquire()).succeedsWithin(WITHIN);
			CompletableFuture<Boolean> granted = lock.acquire().thenApply((held) -> lock.isLocked());
			Cluster.roundTrip(instance);
			lock.release();
			lockedWhenGranted.add(granted.join());
			lock.release();
		}
		assertThat(lockedWhenGranted).containsOnly(true);
		this.cluster.assertAllReturned("ledger", 1);
	}

}
