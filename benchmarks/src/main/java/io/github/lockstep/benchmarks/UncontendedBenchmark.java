package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Workload 1: one thread acquires a free permit and releases it. An async acquisition must be
 * complete when {@code acquire} returns.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UncontendedBenchmark {

	@Param({ "lockstep-semaphore", "lockstep-lock", "juc-semaphore-fair", "juc-semaphore-unfair", "juc-lock-fair",
			"juc-lock-unfair", "kotlinx-semaphore", "kotlinx-mutex", "asyncutil-semaphore", "asyncutil-lock" })
	public String peer;

	private Peer primitive;

	@Setup
	public void create() {
		this.primitive = Peers.create(this.peer, false);
	}

	@Benchmark
	public void acquireRelease() {
		CompletableFuture<?> acquisition = this.primitive.acquire();
		if (!acquisition.isDone()) {
			throw new IllegalStateException(this.peer + ": an uncontended acquire did not complete at once");
		}
		this.primitive.release(acquisition);
	}

	@TearDown
	public void checkIdle() {
		Checks.idle(this.primitive, this.peer);
	}

}
