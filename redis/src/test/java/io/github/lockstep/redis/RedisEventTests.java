package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncEvent;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The event across instances (each a {@link RedisPrimitives} on a client of its own) and when
 * things go wrong: lost announcements, a killed subscription, a Redis restart, Redis down.
 */
class RedisEventTests {

	/** A lease of 1 s is renewed every 333 ms: a lost announcement is made up well within this. */
	private static final Duration RECOVERY = Duration.ofSeconds(5);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	@Test
	void oneSetWakesAThousandWaitersSpreadOverTwoInstances() throws Exception {
		List<RedisEvent> events = List.of(event(this.cluster.instance()), event(this.cluster.instance()));
		List<CompletableFuture<Void>> waiters = new ArrayList<>();
		CountDownLatch started = new CountDownLatch(4);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			RedisEvent event = events.get(t % 2);
			Thread thread = new Thread(() -> {
				List<CompletableFuture<Void>> mine = new ArrayList<>();
				for (int i = 0; i < 250; i++) {
					mine.add(event.await());
				}
				synchronized (waiters) {
					waiters.addAll(mine);
				}
				started.countDown();
			});
			threads.add(thread);
			thread.start();
		}
		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		awaitJoined(events.get(0), 500);
		awaitJoined(events.get(1), 500);
		assertThat(waiters).hasSize(1000).noneMatch(CompletableFuture::isDone);
		AsyncEvent setter = this.cluster.instance().event("deploy");
		setter.set();
		CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(events).allSatisfy((event) -> assertThat(event.queueLength()).isZero());
		// both instances learnt the flag from the announcement, with no round trip of their own
		assertThat(events).allMatch(AsyncEvent::isSet);
		for (Thread thread : threads) {
			thread.join(1000);
		}
	}

	@Test
	void aSetThatAClearFollowsAtOnceStillWakesEveryWaiterOnEveryInstance() throws Exception {
		List<RedisEvent> waiting = List.of(event(this.cluster.instance()), event(this.cluster.instance()));
		AsyncEvent other = this.cluster.instance().event("deploy");
		for (int round = 0; round < 50; round++) {
			List<CompletableFuture<Void>> waiters = new ArrayList<>();
			for (RedisEvent event : waiting) {
				for (int i = 0; i < 5; i++) {
					waiters.add(event.await());
				}
			}
			waiting.forEach((event) -> awaitJoined(event, 5));
			// set and clear sent back to back: the flag is clear again before most announcements land
			CompletableFuture<Void> set = other.setAsync();
			CompletableFuture<Void> cleared = other.clearAsync();
			CompletableFuture.allOf(set, cleared).get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
			CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new))
				.get(RECOVERY.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(other.isSet()).isFalse();
		}
	}

	@Test
	void aWaiterArrivingAfterTheSetOnAnotherInstanceReturnsAtOnce() throws Exception {
		AsyncEvent setter = this.cluster.instance().event("deploy");
		AsyncEvent late = this.cluster.instance().event("deploy");
		setter.set();
		assertThat(late.await(Duration.ZERO)).succeedsWithin(RECOVERY);
		assertThat(late.await()).succeedsWithin(RECOVERY);
		setter.clear();
		assertThat(late.await(Duration.ZERO)).failsWithin(RECOVERY)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(AcquireTimeoutException.class);
	}

	@Test
	void aClearOnAnotherInstanceIsAnnouncedAndAWaitAfterItWaitsForTheNextSet() throws Exception {
		try (RedisPrimitives slow = slowInstance()) {
			RedisEvent waiting = event(slow);
			AsyncEvent other = this.cluster.instance().event("deploy");
			CompletableFuture<Void> first = waiting.await();
			awaitJoined(waiting, 1);
			other.set();
			assertThat(first).succeedsWithin(RECOVERY);
			assertThat(waiting.isSet()).isTrue();

			other.clear();
			inboxRoundTrip(slow);
			assertThat(waiting.isSet()).as("the clear was announced").isFalse();
			CompletableFuture<Void> again = waiting.await();
			awaitJoined(waiting, 1);
			assertThat(again).as("Redis answered that the event is clear").isNotDone();
			other.set();
			assertThat(again).succeedsWithin(RECOVERY);
		}
	}

	@Test
	void aWaitBeforeTheClearsAnnouncementArrivesAsksRedisAndWaits() throws Exception {
		try (RedisPrimitives slow = slowInstance()) {
			RedisEvent waiting = event(slow);
			AsyncEvent other = this.cluster.instance().event("deploy");
			slow.engine().link.dropMessage = (message) -> message.startsWith("!x ");
			other.set();
			Cluster.await(waiting::isSet, RECOVERY, () -> "the set seen");
			other.clear();
			inboxRoundTrip(slow);
			assertThat(waiting.isSet()).as("the clear's announcement is lost, as if still on its way").isTrue();
			CompletableFuture<Void> wait = waiting.await();
			awaitJoined(waiting, 1);
			assertThat(wait).as("the wait asked Redis, which has the event clear").isNotDone();
			assertThat(waiting.isSet()).as("the answer corrected the view").isFalse();
			other.set();
			assertThat(wait).succeedsWithin(RECOVERY);
		}
	}

	@Test
	void lostAnnouncementsAreMadeUpByTheRenewal() throws Exception {
		RedisPrimitives deaf = this.cluster.instance();
		AtomicInteger dropped = new AtomicInteger();
		deaf.engine().link.dropMessage = (message) -> (message.startsWith("!e ") || message.startsWith("!x "))
				&& dropped.incrementAndGet() > 0;
		RedisEvent event = event(deaf);
		AsyncEvent setter = this.cluster.instance().event("deploy");
		CompletableFuture<Void> waiter = event.await();
		awaitJoined(event, 1);
		setter.set();
		setter.clear();
		assertThat(waiter).succeedsWithin(RECOVERY);
		assertThat(dropped).as("the set's and the clear's announcements").hasValue(2);
	}

	@Test
	void aKilledSubscriptionIsReconciledWhenItComesBack() throws Exception {
		RedisEvent event = event(this.cluster.instance());
		AsyncEvent setter = this.cluster.instance().event("deploy");
		CompletableFuture<Void> waiter = event.await();
		awaitJoined(event, 1);
		assertThat(redis.admin().clientKill(KillArgs.Builder.typePubsub())).isEqualTo(2);
		setter.set(); // announced while the subscriber reconnects, most likely to nobody
		setter.clear();
		assertThat(waiter).succeedsWithin(RECOVERY);
	}

	@Test
	void aSetAfterARedisRestartStillWakesWaitersThatJoinedBefore() throws Exception {
		RedisEvent event = event(this.cluster.instance());
		AsyncEvent setter = this.cluster.instance().event("deploy");
		for (int i = 0; i < 3; i++) {
			setter.set();
			setter.clear();
		}
		CompletableFuture<Void> waiter = event.await();
		awaitJoined(event, 1);
		redis.kill();
		redis.restart();
		// the generation starts again from the server's clock, above every generation before, so
		// the first set after the restart is a later generation than the one the waiter joined
		Cluster.await(() -> {
			try {
				setter.set();
				return true;
			}
			catch (RedisUnavailableException ex) {
				return false;
			}
		}, RECOVERY, () -> "set once Redis is back");
		assertThat(waiter).succeedsWithin(RECOVERY);
	}

	@Test
	void redisDownFailsCommandsAndNewWaitsByNameWhileWaitersKeepTheirDeadline() throws Exception {
		RedisEvent event = event(this.cluster.instance(Duration.ofSeconds(1)));
		CompletableFuture<Void> timed = event.await(Duration.ofSeconds(3));
		awaitJoined(event, 1);
		redis.kill();
		try {
			assertThatExceptionOfType(RedisUnavailableException.class).isThrownBy(event::set)
				.withMessageStartingWith("Event 'deploy': Redis unavailable");
			assertThat(event.await()).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(RedisUnavailableException.class)
				.withMessageStartingWith("Event 'deploy': Redis unavailable");
			assertThat(timed).as("a waiter keeps its own deadline").isNotDone();
			assertThat(timed).failsWithin(RECOVERY)
				.withThrowableOfType(ExecutionException.class)
				.withCauseInstanceOf(AcquireTimeoutException.class);
		}
		finally {
			redis.restart();
		}
	}

	@Test
	void aReSentSetOrClearDoesNothingTwice() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		RedisEvent event = event(instance);
		String[] keys = event.keys();
		String[] set = { instance.instanceId(), instance.engine().inboxPrefix, "60000", "op-1", "deploy" };
		String[] clear = { instance.instanceId(), instance.engine().inboxPrefix, "60000", "op-2", "deploy" };
		instance.engine().link.eval(SyncScript.EVENT_SET, keys, set).get(5, TimeUnit.SECONDS);
		instance.engine().link.eval(SyncScript.EVENT_CLEAR, keys, clear).get(5, TimeUnit.SECONDS);
		String generation = redis.admin().hget(keys[0], "gen");
		// Lettuce re-sends a call whose reply a reconnect lost: the same ids change nothing
		instance.engine().link.eval(SyncScript.EVENT_SET, keys, set).get(5, TimeUnit.SECONDS);
		assertThat(redis.admin().hget(keys[0], "set")).isEqualTo("0");
		assertThat(redis.admin().hget(keys[0], "gen")).isEqualTo(generation);
		instance.engine().link.eval(SyncScript.EVENT_SET, keys,
				new String[] { instance.instanceId(), instance.engine().inboxPrefix, "60000", "op-3", "deploy" })
			.get(5, TimeUnit.SECONDS);
		instance.engine().link.eval(SyncScript.EVENT_CLEAR, keys, clear).get(5, TimeUnit.SECONDS);
		assertThat(redis.admin().hget(keys[0], "set")).isEqualTo("1");
	}

	/**
	 * An instance of the cluster with a lease of a minute: no renewal (every 20 s) makes up its view
	 * of the event while a test runs.
	 */
	private RedisPrimitives slowInstance() {
		return RedisPrimitives.create(redis.client(Duration.ofSeconds(2)),
				this.cluster.options().withLease(Duration.ofMinutes(1)));
	}

	private static RedisEvent event(RedisPrimitives instance) {
		return (RedisEvent) instance.event("deploy");
	}

	/**
	 * A round trip through the instance's inbox: once a marker published now has arrived there,
	 * every message published to it before has been handled.
	 */
	static void inboxRoundTrip(RedisPrimitives instance) throws InterruptedException {
		RedisLink link = instance.engine().link;
		String marker = "!marker " + System.nanoTime();
		CountDownLatch arrived = new CountDownLatch(1);
		Predicate<String> drop = link.dropMessage;
		link.dropMessage = (message) -> {
			if (message.equals(marker)) {
				arrived.countDown();
				return true;
			}
			return drop.test(message);
		};
		try {
			redis.admin().publish(instance.engine().inboxPrefix + instance.instanceId(), marker);
			assertThat(arrived.await(RECOVERY.toMillis(), TimeUnit.MILLISECONDS)).as("the marker arrived").isTrue();
		}
		finally {
			link.dropMessage = drop;
		}
	}

	/** Waits until Redis has answered {@code count} waits of this instance: they joined before what follows. */
	private static void awaitJoined(RedisEvent event, int count) {
		Cluster.await(() -> event.joined() == count, RECOVERY, () -> count + " waits joined, not " + event.joined());
	}

}
