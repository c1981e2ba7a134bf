package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
 * Workload 5a: {@code waiters} acquisitions are queued (untimed, before each invocation), then all
 * are cancelled, newest first: the worst order for a queue that searches from its head. The
 * primary score counts storms; the {@code cancels} counter is cancels per second, which an O(1)
 * cancel keeps level whatever the queue length. Only peers that can withdraw a queued waiter take
 * part: a {@code java.util.concurrent} waiter is a parked thread, and asyncutil leaves a cancelled
 * waiter queued.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CancellationStormBenchmark {

	@Param({ "lockstep-semaphore", "lockstep-lock", "kotlinx-semaphore", "kotlinx-mutex" })
	public String peer;

	@Param({ "1000", "1000000" })
	public int waiters;

	private Peer primitive;

	private CompletableFuture<?> holder;

	private CompletableFuture<?>[] queued;

	@Setup(Level.Trial)
	public void create() {
		this.primitive = Peers.create(this.peer, true);
		this.holder = this.primitive.acquire();
		this.queued = new CompletableFuture<?>[this.waiters];
	}

	@Setup(Level.Invocation)
	public void enqueue() {
		for (int i = 0; i < this.queued.length; i++) {
			CompletableFuture<?> acquisition = this.primitive.acquire();
			if (acquisition.isDone()) {
				throw new IllegalStateException(this.peer + ": acquired a permit that should be held");
			}
			this.queued[i] = acquisition;
		}
	}

	@Benchmark
	public void cancelAll(Cancels cancels) {
		CompletableFuture<?>[] queued = this.queued;
		for (int i = queued.length - 1; i >= 0; i--) {
			if (!this.primitive.cancel(queued[i])) {
				throw new IllegalStateException(this.peer + ": a queued waiter could not be cancelled");
			}
		}
		cancels.cancels += queued.length;
	}

	@TearDown(Level.Trial)
	public void checkIdle() {
		this.primitive.release(this.holder);
		Checks.idle(this.primitive, this.peer);
	}

	/** Cancels per second, next to the storms per second of the primary score. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.OPERATIONS)
	public static class Cancels {

		public long cancels;

		@Setup(Level.Iteration)
		public void reset() {
			this.cancels = 0;
		}

	}

}
