package io.github.lockstep.benchmarks;

import java.util.concurrent.TimeUnit;

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
 * Redis 1: one instance, one thread, a free cluster-wide lock: acquire, then release, each
 * waiting for Redis's answer (µs/op, sampled: the median resists the stalls of a loaded machine).
 * The {@code ping} peer is one Lettuce {@code PING}: the round trip (RTT) that the results are
 * read in multiples of.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisUncontendedBenchmark {

	@Param({ "ping", "lockstep-lock", "lockstep-lock-awaited", "lockstep-semaphore", "redisson-lock", "redisson-fairlock", "redisson-semaphore",
			"si-lock-spin", "si-lock-pubsub" })
	public String peer;

	private RedisProcess redis;

	private RedisPeer instance;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.redis = new RedisProcess();
		this.instance = RedisPeer.create(this.peer, this.redis);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.instance.close();
		this.redis.close();
	}

	@Benchmark
	public void acquireRelease() throws Exception {
		this.instance.acquire();
		this.instance.release();
	}

}
