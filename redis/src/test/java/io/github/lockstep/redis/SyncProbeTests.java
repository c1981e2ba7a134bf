package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.WaitOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** What the event, the barrier and the condition report to their probe: every wait's end, once. */
class SyncProbeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	@RegisterExtension
	final Cluster cluster = new Cluster(redis);

	private final List<WaitOutcome> ended = new CopyOnWriteArrayList<>();

	private final PrimitiveProbe probe = new PrimitiveProbe() {

		@Override
		public void waitEnded(long started, WaitOutcome outcome) {
			SyncProbeTests.this.ended.add(outcome);
		}

	};

	@Test
	void eventWaitsAreReportedOnceEach() throws Exception {
		RedisEvent event = (RedisEvent) this.cluster.instance().event("deploy");
		((Instrumented) event).probe(this.probe);
		assertThat(((Instrumented) event).probe()).isSameAs(this.probe);
		CompletableFuture<Void> woken = event.await();
		CompletableFuture<Void> cancelled = event.await();
		Cluster.await(() -> event.joined() == 2, WAIT, () -> "joined");
		cancelled.cancel(false);
		assertThat(event.await(Duration.ZERO)).failsWithin(WAIT);
		event.set();
		assertThat(woken).succeedsWithin(WAIT);
		assertThat(this.ended).containsExactlyInAnyOrder(WaitOutcome.CANCELLED, WaitOutcome.TIMEOUT, WaitOutcome.ACQUIRED);
	}

	/**
	 * Sets racing the replies of the waits they wake: each round sends waits, some given up at
	 * once, then a set and a clear from another instance on the same connection, so Redis runs them
	 * right after the waits (every wait finds the event clear) and the set's announcement races the
	 * waits' replies to this instance.
	 */
	@Test
	void eventWaitsWokenCancelledOrTimedOutBeforeRedisAnsweredAreEachReportedOnce() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		RedisEvent event = (RedisEvent) instance.event("deploy");
		RecordingProbe recording = new RecordingProbe();
		event.probe(recording);
		RedisBackend engine = instance.engine();
		Map<WaitOutcome, Integer> expected = new EnumMap<>(WaitOutcome.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int rounds = 0;
		while (rounds < 300 && System.nanoTime() < deadline) {
			List<CompletableFuture<Void>> waits = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				waits.add(event.await());
			}
			waits.add(event.await(Duration.ofMillis(1 + rounds % 2)));
			CompletableFuture<Void> cancelled = event.await();
			waits.add(cancelled);
			if (rounds % 2 == 0) {
				cancelled.cancel(false);
			}
			String[] args = { "another", engine.inboxPrefix, "60000", "race-" + rounds, "deploy" };
			engine.link.eval(SyncScript.EVENT_SET, event.keys(), args);
			args[3] = "race-clear-" + rounds;
			engine.link.eval(SyncScript.EVENT_CLEAR, event.keys(), args).get(10, TimeUnit.SECONDS);
			for (CompletableFuture<Void> wait : waits) {
				expected.merge(outcome(wait), 1, Integer::sum);
			}
			rounds++;
		}
		int total = rounds * 6;
		Cluster.await(() -> recording.ended() == total, WAIT, () -> recording.ended() + " ends of " + total + " waits");
		assertThat(recording.errors).isEmpty();
		assertThat(recording.outcomes()).isEqualTo(expected);
		assertThat(expected).containsKey(WaitOutcome.ACQUIRED).containsKey(WaitOutcome.CANCELLED);
	}

	/**
	 * Rounds tripped by an arrival of another instance sent on this instance's connection right
	 * after this instance's two, so that the message ending them races the replies that queued
	 * them; every third round gives its arrival up at once instead.
	 */
	@Test
	void barrierArrivalsEndedOrCancelledBeforeRedisAnsweredAreEachReportedOnce() throws Exception {
		RedisPrimitives instance = this.cluster.instance();
		RedisBarrier barrier = (RedisBarrier) instance.barrier("batch", 3);
		RecordingProbe recording = new RecordingProbe();
		barrier.probe(recording);
		RedisBackend engine = instance.engine();
		Map<WaitOutcome, Integer> expected = new EnumMap<>(WaitOutcome.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		int rounds = 0;
		int total = 0;
		while (rounds < 300 && System.nanoTime() < deadline) {
			List<CompletableFuture<Integer>> arrivals = new ArrayList<>();
			if (rounds % 3 == 0) {
				CompletableFuture<Integer> cancelled = barrier.await();
				cancelled.cancel(false);
				arrivals.add(cancelled);
			}
			else {
				arrivals.add(barrier.await());
				arrivals.add(barrier.await());
				engine.link.eval(SyncScript.BARRIER_ARRIVE, barrier.keys(), new String[] { "another",
						engine.leaseMillis, engine.inboxPrefix, "60000", "3", "another:" + rounds, "wait" })
					.get(10, TimeUnit.SECONDS);
			}
			for (CompletableFuture<Integer> arrival : arrivals) {
				expected.merge(outcome(arrival), 1, Integer::sum);
			}
			total += arrivals.size();
			rounds++;
		}
		int all = total;
		Cluster.await(() -> recording.ended() == all, WAIT, () -> recording.ended() + " ends of " + all + " arrivals");
		assertThat(recording.errors).isEmpty();
		assertThat(recording.outcomes()).isEqualTo(expected);
		assertThat(expected).containsOnlyKeys(WaitOutcome.ACQUIRED, WaitOutcome.CANCELLED);
	}

	private static WaitOutcome outcome(CompletableFuture<?> wait) throws InterruptedException {
		try {
			wait.get(10, TimeUnit.SECONDS);
			return WaitOutcome.ACQUIRED;
		}
		catch (CancellationException ex) {
			return WaitOutcome.CANCELLED;
		}
		catch (ExecutionException ex) {
			assertThat(ex).hasCauseInstanceOf(AcquireTimeoutException.class);
			return WaitOutcome.TIMEOUT;
		}
		catch (TimeoutException ex) {
			throw new AssertionError("a wait never ended", ex);
		}
	}

	/** Hands out distinct tokens and records what is wrong: an end with a token it never gave, or twice. */
	static final class RecordingProbe implements PrimitiveProbe {

		private final AtomicLong tokens = new AtomicLong();

		private final Set<Long> open = ConcurrentHashMap.newKeySet();

		private final Map<WaitOutcome, AtomicInteger> ends = new ConcurrentHashMap<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		@Override
		public long waitStarted() {
			long token = this.tokens.incrementAndGet();
			this.open.add(token);
			return token;
		}

		@Override
		public void waitEnded(long started, WaitOutcome outcome) {
			if (!this.open.remove(started)) {
				this.errors.add("ended " + outcome + " with token " + started + ", not started or ended before");
			}
			this.ends.computeIfAbsent(outcome, (key) -> new AtomicInteger()).incrementAndGet();
		}

		int ended() {
			return this.ends.values().stream().mapToInt(AtomicInteger::get).sum();
		}

		Map<WaitOutcome, Integer> outcomes() {
			Map<WaitOutcome, Integer> outcomes = new EnumMap<>(WaitOutcome.class);
			this.ends.forEach((outcome, count) -> outcomes.put(outcome, count.get()));
			return outcomes;
		}

	}

	@Test
	void barrierWaitsAreReportedOnceEach() throws Exception {
		AsyncBarrier barrier = this.cluster.instance().barrier("batch", 2);
		((Instrumented) barrier).probe(this.probe);
		CompletableFuture<Integer> first = barrier.await();
		Cluster.await(() -> redis.admin().zcard(this.cluster.key("batch", "b:a")) == 1, WAIT, () -> "queued");
		assertThat(barrier.await()).succeedsWithin(WAIT);
		assertThat(first).succeedsWithin(WAIT);
		CompletableFuture<Integer> aborted = barrier.await();
		Cluster.await(() -> redis.admin().zcard(this.cluster.key("batch", "b:a")) == 1, WAIT, () -> "queued");
		barrier.abort();
		assertThat(aborted).failsWithin(WAIT);
		assertThat(barrier.await()).failsWithin(WAIT);
		// the tripping arrival never waited; the refused one is a wait that started and ended at once
		assertThat(this.ended).containsExactly(WaitOutcome.ACQUIRED, WaitOutcome.BROKEN, WaitOutcome.BROKEN);
	}

	@Test
	void conditionWaitsAreReportedOnceEach() throws Exception {
		// over a shared lock, whose own waits (the re-acquisitions) go to the lock's probe, not this one
		RedisPrimitives instance = this.cluster.instance();
		AsyncCondition condition = instance.condition("account", instance.lock("ledger"));
		((Instrumented) condition).probe(this.probe);
		condition.acquire().get(10, TimeUnit.SECONDS);
		CompletableFuture<Boolean> timed = condition.await(Duration.ofMillis(50));
		assertThat(timed).succeedsWithin(WAIT).isEqualTo(false);
		CompletableFuture<Void> signalled = condition.await();
		condition.acquire().get(10, TimeUnit.SECONDS);
		condition.signal();
		condition.release();
		assertThat(signalled).succeedsWithin(WAIT);
		condition.release();
		assertThat(this.ended).containsExactly(WaitOutcome.TIMEOUT, WaitOutcome.ACQUIRED);
	}

}
