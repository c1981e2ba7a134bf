package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Redis 4: one cluster-wide event and 1,000 waiters on it, 500 on each of two instances (futures,
 * no threads). One op ({@code setWakesAll}): a third instance calls {@code set()}, which returns
 * once Redis has answered; the op ends when all 1,000 futures have completed as well (µs/op,
 * sampled; the median is the read-out). Redis announces the set with one message to each of the
 * two waiting instances, each of which completes its 500 futures on its own. The {@code ping}
 * benchmark is one Lettuce {@code PING} on a server of its own, in the same run: the round trip
 * (RTT) the op is read in multiples of.
 *
 * <p>Between ops, outside the measured time ({@link Level#Invocation} setup, which JMH advises
 * against for ops shorter than a millisecond or so; this one is several RTTs plus the completion
 * of 1,000 futures, hundreds of µs at least, beside which its own timestamps cost nothing), the third instance clears the event and the two instances start
 * 1,000 new waits. The setup returns only once Redis has answered every one of them (each
 * instance's {@link PrimitiveProbe#waitStarted()} is called when Redis has answered a wait that
 * has to queue; that probe only counts starts, and at a wait's end, in the measured op, it does
 * nothing), so every op wakes 1,000 queued waiters rather than waits that found the event
 * set. Re-arming takes 1,000 script calls (tens of ms), which JMH's iteration time includes, so an
 * iteration holds some tens of ops: {@code setWakesAll} measures 10 iterations of 2 s to sample a
 * few hundred.
 *
 * <p>No peers. Redisson has no event. Its nearest, {@code RCountDownLatch} of 1 with
 * {@code awaitAsync()}, needs no thread per waiter, but it is a one-shot latch (re-armed by
 * {@code trySetCount}), each of its waiters re-reads the count after the wake-up message (1,000
 * {@code GET}s per op), and nothing public says when its 1,000 waiters have all subscribed and
 * read the count: an op could then time waiters that found the latch open by themselves.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisEventFanOutBenchmark {

	/** Three instances: two with the waiters, one that sets and clears. */
	@State(Scope.Benchmark)
	public static class FanOut {

		/** The waiters on each of the two instances: 500, so 1,000 in all (issue 14); others with {@code -p}. */
		@Param({ "500" })
		public int waitersPerInstance;

		private RedisProcess redis;

		private RedisInstances instances;

		private AsyncEvent setter;

		private final AsyncEvent[] waiting = new AsyncEvent[2];

		private final Armed armed = new Armed();

		/** Completes when the last of the armed waiters has; fails with the first that failed. */
		private CompletableFuture<Void> allWoken;

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.redis = new RedisProcess();
			this.instances = new RedisInstances(this.redis, 3);
			for (int i = 0; i < this.waiting.length; i++) {
				this.waiting[i] = this.instances.get(i).event(RedisPeer.NAME);
				((Instrumented) this.waiting[i]).probe(this.armed);
			}
			this.setter = this.instances.get(2).event(RedisPeer.NAME);
		}

		@Setup(Level.Invocation)
		public void arm() throws Exception {
			this.setter.clear();
			int total = this.waitersPerInstance * this.waiting.length;
			CompletableFuture<Void> queued = this.armed.expect(total);
			CompletableFuture<Void> woken = new CompletableFuture<>();
			AtomicInteger remaining = new AtomicInteger(total);
			for (AsyncEvent event : this.waiting) {
				for (int i = 0; i < this.waitersPerInstance; i++) {
					event.await().whenComplete((done, ex) -> {
						if (ex != null) {
							woken.completeExceptionally(ex);
						}
						else if (remaining.decrementAndGet() == 0) {
							woken.complete(null);
						}
					});
				}
			}
			queued.get(30, TimeUnit.SECONDS);
			if (woken.isDone()) {
				throw new IllegalStateException("a waiter ended before the set: " + woken);
			}
			this.allWoken = woken;
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.instances.close();
			this.redis.close();
		}

	}

	/** Counts the waits Redis has queued, and completes a future when the expected number has. */
	static final class Armed implements PrimitiveProbe {

		private final AtomicInteger started = new AtomicInteger();

		private volatile int expected;

		private volatile CompletableFuture<Void> queued = new CompletableFuture<>();

		CompletableFuture<Void> expect(int count) {
			this.queued = new CompletableFuture<>();
			this.started.set(0);
			this.expected = count;
			return this.queued;
		}

		@Override
		public long waitStarted() {
			if (this.started.incrementAndGet() == this.expected) {
				this.queued.complete(null);
			}
			return 0;
		}

	}

	@Benchmark
	public void ping(RedisRoundTrip rtt) throws Exception {
		rtt.ping();
	}

	@Benchmark
	@Measurement(iterations = 10, time = 2)
	public void setWakesAll(FanOut fanOut) {
		fanOut.setter.set();
		fanOut.allWoken.join();
	}

}
