package io.github.lockstep.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Redis 2: two instances (clients of their own, as two processes), one thread each, one lock:
 * both loop acquire, release. With a fair queue every acquisition waits for the other
 * instance's release, so each op is one hand-off between instances and the score (ops/ms, both
 * threads) is hand-offs per millisecond; an unfair lock may be taken again by the instance that
 * just released it, which the score then counts as well.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisHandOffBenchmark {

	@Param({ "lockstep-lock", "lockstep-lock-awaited", "lockstep-semaphore", "redisson-lock", "redisson-fairlock",
			"redisson-semaphore", "si-lock-spin", "si-lock-pubsub" })
	public String peer;

	private RedisProcess redis;

	private RedisPeer first;

	private RedisPeer second;

	private final AtomicInteger threads = new AtomicInteger();

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.redis = new RedisProcess();
		this.first = RedisPeer.create(this.peer, this.redis);
		this.second = RedisPeer.create(this.peer, this.redis);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.first.close();
		this.second.close();
		this.redis.close();
	}

	/** Which instance a thread uses: the first thread of the group gets the first. */
	@State(Scope.Thread)
	public static class Side {

		RedisPeer instance;

		@Setup(Level.Trial)
		public void pick(RedisHandOffBenchmark benchmark) {
			this.instance = (benchmark.threads.getAndIncrement() % 2 == 0) ? benchmark.first : benchmark.second;
		}

	}

	@Benchmark
	@Group("twoInstances")
	@GroupThreads(2)
	public void acquireRelease(Side side) throws Exception {
		side.instance.acquire();
		side.instance.release();
	}

}
