package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
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
 * Workload 5b: cancel racing release. One thread acquires and, if it has to wait, cancels at once;
 * the other acquires, polls until granted ({@link Polling}) and releases, so its releases race
 * the cancels. The {@code withdrawn}, {@code grantWon} and {@code immediate} counters tell how
 * each of the canceller's acquisitions ended; after every iteration the permit must be free again.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CancelRaceBenchmark {

	@Param({ "lockstep-semaphore", "lockstep-lock", "kotlinx-semaphore", "kotlinx-mutex" })
	public String peer;

	private Peer primitive;

	@Setup(Level.Trial)
	public void create() {
		this.primitive = Peers.create(this.peer, true);
	}

	@Benchmark
	@Group("cancelVsRelease")
	@GroupThreads(1)
	public void canceller(Outcomes outcomes) {
		CompletableFuture<?> acquisition = this.primitive.acquire();
		if (acquisition.isDone()) {
			outcomes.immediate++;
			this.primitive.release(acquisition);
		}
		else if (this.primitive.cancel(acquisition)) {
			outcomes.withdrawn++;
		}
		else {
			outcomes.grantWon++;
			this.primitive.release(acquisition);
		}
	}

	@Benchmark
	@Group("cancelVsRelease")
	@GroupThreads(1)
	public void releaser() {
		CompletableFuture<?> acquisition = this.primitive.acquire();
		Polling.await(acquisition, null);
		this.primitive.release(acquisition);
	}

	@TearDown(Level.Iteration)
	public void checkIdle() {
		Checks.idle(this.primitive, this.peer);
	}

	/** How the canceller's acquisitions ended. */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Outcomes {

		/** Queued, then withdrawn by the cancel. */
		public long withdrawn;

		/** Queued, but granted before the cancel reached it. */
		public long grantWon;

		/** Not queued: the permit was free. */
		public long immediate;

		@Setup(Level.Iteration)
		public void reset() {
			this.withdrawn = 0;
			this.grantWon = 0;
			this.immediate = 0;
		}

	}

}
