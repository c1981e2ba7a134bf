package io.github.lockstep.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncLock;
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
 * Redis 3: a Lockstep lock on Redis with {@code waiters} acquisitions queued (futures, no
 * threads). One op releases, which hands the lock to the longest waiter (recorded in Redis, then
 * announced), waits until that waiter's future has completed, and queues one more acquisition,
 * so the queue keeps its length (µs/op, sampled). A release whose cost does not grow with the queue takes
 * the same time at 1 and at 10,000 waiters. Peers are absent: Redisson's and Spring
 * Integration's waiters are threads, and 10,000 parked threads would measure the scheduler.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RedisQueuedReleaseBenchmark {

	@Param({ "1", "10000" })
	public int waiters;

	private RedisProcess redis;

	private RedisPeer.LockstepPeer instance;

	private AsyncLock lock;

	private final ArrayDeque<CompletableFuture<Void>> queue = new ArrayDeque<>();

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.redis = new RedisProcess();
		this.instance = (RedisPeer.LockstepPeer) RedisPeer.create("lockstep-lock", this.redis);
		this.lock = this.instance.lock();
		this.lock.acquire().join();
		for (int i = 0; i < this.waiters; i++) {
			this.queue.add(this.lock.acquire());
		}
		// every waiter has its place in Redis before the clock starts
		while (this.lock.state().waiting() < this.waiters) {
			Thread.onSpinWait();
		}
		this.lock.tryAcquireAsync().join();
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.queue.forEach((waiter) -> waiter.cancel(false));
		this.instance.close();
		this.redis.close();
	}

	@Benchmark
	public void releaseHandsOffAndRequeues() {
		this.lock.release();
		CompletableFuture<Void> next = this.queue.poll();
		next.join();
		if (next.isCompletedExceptionally()) {
			throw new IllegalStateException("the head waiter was not granted");
		}
		this.queue.add(this.lock.acquire());
	}

}
