package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Workload 2: ping-pong. One permit travels between two threads through two primitives: the
 * {@code ping} thread acquires {@code ping} and releases {@code pong}, the {@code pong} thread
 * acquires {@code pong} and releases {@code ping}. Every op therefore waits for the other thread:
 * one op is one hand-off, whatever the peer's fairness, and the score is hand-offs per
 * millisecond for both threads together.
 *
 * <p>An async waiter polls its future ({@link Polling}): it never parks. A
 * {@code java.util.concurrent.Semaphore} waiter parks, because that API has no other way to
 * wait. {@code ReentrantLock} is absent: only its owner may unlock it, so a permit cannot be
 * passed this way (its queue is the same AQS as {@code Semaphore}'s).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandOffBenchmark {

	@Param({ "lockstep-semaphore", "lockstep-lock", "juc-semaphore-fair", "juc-semaphore-unfair", "kotlinx-semaphore",
			"kotlinx-mutex", "asyncutil-semaphore", "asyncutil-lock" })
	public String peer;

	private Side ping;

	private Side pong;

	@Setup(Level.Trial)
	public void create() {
		this.ping = new Side(Peers.create(this.peer, false));
		this.pong = new Side(Peers.create(this.peer, false));
		this.ping.primitive.release(this.ping.held);
	}

	@Benchmark
	@Group("pingPong")
	@GroupThreads(1)
	public void ping(Control control) {
		pass(this.ping, this.pong, control);
	}

	@Benchmark
	@Group("pingPong")
	@GroupThreads(1)
	public void pong(Control control) {
		pass(this.pong, this.ping, control);
	}

	private static void pass(Side mine, Side theirs, Control control) {
		CompletableFuture<?> acquisition = mine.take(control);
		if (acquisition != null) {
			mine.held = acquisition;
			theirs.primitive.release(theirs.held);
		}
	}

	/** One of the two primitives, and the acquisition that holds its permit. */
	private static final class Side {

		final Peer primitive;

		/** What {@link Peer#release} needs; written before the permit is passed on. */
		volatile CompletableFuture<?> held;

		/** A queued acquisition left when a measurement ended; only its own thread resumes it. */
		private CompletableFuture<?> pending;

		Side(Peer primitive) {
			this.primitive = primitive;
			this.held = primitive.acquire();
		}

		/** Acquires, or returns {@code null} if the measurement ended first. */
		CompletableFuture<?> take(Control control) {
			if (this.primitive instanceof JucSemaphorePeer blocking) {
				return blocking.acquireUnless(() -> control.stopMeasurement) ? Peer.DONE : null;
			}
			CompletableFuture<?> acquisition = (this.pending != null) ? this.pending : this.primitive.acquire();
			if (!Polling.await(acquisition, control)) {
				this.pending = acquisition;
				return null;
			}
			this.pending = null;
			return acquisition;
		}

	}

}
