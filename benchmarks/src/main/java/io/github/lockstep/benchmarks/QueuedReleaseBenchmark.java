package io.github.lockstep.benchmarks;

import java.util.ArrayDeque;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 3: the cost of a release with {@code waiters} acquisitions queued. Each op releases
 * (granting the longest waiter) and acquires again (queueing at the tail), so the queue keeps its
 * length; an O(1) release shows the same time for every length. Blocking peers are absent: a
 * million queued waiters would be a million parked threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueuedReleaseBenchmark {

	@Param({ "lockstep-semaphore", "lockstep-lock", "kotlinx-semaphore", "kotlinx-mutex", "asyncutil-semaphore",
			"asyncutil-lock" })
	public String peer;

	@Param({ "1", "1000", "1000000" })
	public int waiters;

	private Peer primitive;

	/** The queued acquisitions, longest waiting first: the next one granted is the head. */
	private final ArrayDeque<CompletableFuture<?>> queued = new ArrayDeque<>();

	private CompletableFuture<?> holder;

	@Setup(Level.Trial)
	public void enqueue() {
		this.primitive = Peers.create(this.peer, false);
		this.holder = this.primitive.acquire();
		for (int i = 0; i < this.waiters; i++) {
			this.queued.add(queue());
		}
	}

	@Benchmark
	public void releaseGrantsOneWaiterAndRequeues() {
		this.primitive.release(this.holder);
		CompletableFuture<?> granted = this.queued.poll();
		if (!granted.isDone()) {
			throw new IllegalStateException(this.peer + ": release did not grant the longest waiter");
		}
		this.holder = granted;
		this.queued.add(queue());
	}

	private CompletableFuture<?> queue() {
		CompletableFuture<?> acquisition = this.primitive.acquire();
		if (acquisition.isDone()) {
			throw new IllegalStateException(this.peer + ": acquired a permit that should be held");
		}
		return acquisition;
	}

}
