package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 9: throughput under contention. 2 or 4 threads ({@code threads2}, {@code threads4})
 * share one primitive of 1 or 2 permits, and each op acquires a permit, waits until it holds it
 * and releases it at once. With more threads than permits most acquisitions queue, so the score
 * (acquire + release cycles per ms, all threads together) is what a contended primitive sustains.
 *
 * <p>An async waiter polls its future ({@link Polling}); a {@code java.util.concurrent.Semaphore}
 * waiter parks. An op that has started waiting finishes even when the measurement ends, so every
 * thread ends the trial without a permit or a queued acquisition, and the primitive must then be
 * idle.
 *
 * <p>{@code peer} names a peer and its permits, {@code name/permits}: a lock has one permit, so
 * only the semaphores run with two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContendedThroughputBenchmark {

	@Param({ "lockstep-semaphore/1", "lockstep-lock/1", "juc-semaphore-fair/1", "kotlinx-semaphore/1",
			"asyncutil-semaphore/1", "asyncutil-lock/1", "lockstep-semaphore/2", "juc-semaphore-fair/2",
			"kotlinx-semaphore/2", "asyncutil-semaphore/2" })
	public String peer;

	private Peer primitive;

	@Setup(Level.Trial)
	public void create() {
		int slash = this.peer.lastIndexOf('/');
		this.primitive = Peers.create(this.peer.substring(0, slash), false,
				Integer.parseInt(this.peer.substring(slash + 1)));
	}

	@TearDown(Level.Trial)
	public void checkIdle() {
		Checks.idle(this.primitive, this.peer);
	}

	@Benchmark
	@Threads(2)
	public void threads2() {
		cycle(this.primitive);
	}

	@Benchmark
	@Threads(4)
	public void threads4() {
		cycle(this.primitive);
	}

	private static void cycle(Peer primitive) {
		CompletableFuture<?> acquisition = primitive.acquire();
		Polling.await(acquisition, null);
		primitive.release(acquisition);
	}

}
