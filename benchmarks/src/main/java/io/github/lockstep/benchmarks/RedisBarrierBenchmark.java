package io.github.lockstep.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncBarrier;
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
 * Redis 5: one cluster-wide barrier of 5 parties spread over {@code instances} instances (party
 * {@code i} on instance {@code i % instances}: 3 + 2 over two, 2 + 2 + 1 over three). One op
 * ({@code fullRound}) is one round: one thread calls {@code await()} for all 5 parties, back to
 * back without waiting (each is one call, on its instance's connection), and the op ends when all
 * 5 futures have completed, with the indices 0 to 4 each given once (µs/op, sampled; the median is
 * the read-out). The arrival that fills the round trips it in Redis; the other instances learn
 * from one announcement each. The barrier is cyclic, so the next op is the next round, with
 * nothing to re-arm. The {@code ping} benchmark is one Lettuce {@code PING} on a server of its own,
 * in the same run: the round trip (RTT) the op is read in multiples of.
 *
 * <p>The five arrivals are in flight together, so a round costs about one round trip for the
 * arrivals plus the announcement's delivery, not five round trips; parties that arrive minutes
 * apart in a real service pay the same for the last arrival's part. No peers: neither Redisson
 * nor Spring Integration has a barrier.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisBarrierBenchmark {

	static final int PARTIES = 5;

	@State(Scope.Benchmark)
	public static class Round {

		@Param({ "2", "3" })
		public int instances;

		private RedisProcess redis;

		private RedisInstances cluster;

		/** The barrier as party {@code i} sees it: its instance's. */
		private final AsyncBarrier[] parties = new AsyncBarrier[PARTIES];

		private final List<CompletableFuture<Integer>> arrivals = new ArrayList<>(PARTIES);

		@Setup(Level.Trial)
		public void start() throws Exception {
			this.redis = new RedisProcess();
			this.cluster = new RedisInstances(this.redis, this.instances);
			for (int i = 0; i < PARTIES; i++) {
				this.parties[i] = this.cluster.get(i % this.instances).barrier(RedisPeer.NAME, PARTIES);
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.cluster.close();
			this.redis.close();
		}

	}

	@Benchmark
	public void ping(RedisRoundTrip rtt) throws Exception {
		rtt.ping();
	}

	@Benchmark
	public int fullRound(Round round) {
		round.arrivals.clear();
		for (AsyncBarrier party : round.parties) {
			round.arrivals.add(party.await());
		}
		int indices = 0;
		for (CompletableFuture<Integer> arrival : round.arrivals) {
			indices |= 1 << arrival.join();
		}
		if (indices != (1 << PARTIES) - 1) {
			throw new IllegalStateException("a round gave indices " + Integer.toBinaryString(indices) + ", not 0 to 4 once each");
		}
		return indices;
	}

}
