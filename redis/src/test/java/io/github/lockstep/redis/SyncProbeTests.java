package io.github.lockstep.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
