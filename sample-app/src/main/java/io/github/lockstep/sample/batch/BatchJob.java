package io.github.lockstep.sample.batch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.annotation.AwaitBarrier;

import org.springframework.stereotype.Service;

/**
 * asyncio's {@code Barrier} example: a batch split into 5 shards whose workers must all be ready
 * before any of them starts. A shard's call waits, holding no thread, until 5 have arrived; then the
 * 5 start together and the barrier refills for the next batch. So shards start 5 at a time:
 * {@link #started()} is a multiple of 5 whenever no round is starting.
 *
 * <pre>{@code
 * List<CompletableFuture<ShardReport>> shards = IntStream.range(0, 5)
 *     .mapToObj(n -> job.process(n, Duration.ofMillis(100)))   // the 5th call starts all five
 *     .toList();
 * }</pre>
 */
@Service
public class BatchJob {

	private final ScheduledExecutorService latency;

	private final AtomicInteger started = new AtomicInteger();

	private final AtomicInteger finished = new AtomicInteger();

	public BatchJob(ScheduledExecutorService latency) {
		this.latency = latency;
	}

	/**
	 * Processes one shard once 5 shards are ready. A shard that waits longer than 30 s gives up
	 * ({@link io.github.lockstep.AcquireTimeoutException}) without breaking the barrier.
	 * @param shard the shard's number
	 * @param work how long the shard's work takes once started
	 * @return the shard's report, when its work is done
	 */
	@AwaitBarrier(value = "batch", parties = 5, timeout = "30s")
	public CompletableFuture<ShardReport> process(int shard, Duration work) {
		int order = this.started.incrementAndGet();
		CompletableFuture<ShardReport> done = new CompletableFuture<>();
		this.latency.schedule(() -> {
			this.finished.incrementAndGet();
			done.complete(new ShardReport(shard, order));
		}, work.toNanos(), TimeUnit.NANOSECONDS);
		return done;
	}

	/**
	 * Returns how many shards have started.
	 * @return shards started, 5 per round
	 */
	public int started() {
		return this.started.get();
	}

	/**
	 * Returns how many shards have finished their work.
	 * @return shards finished
	 */
	public int finished() {
		return this.finished.get();
	}

	/**
	 * What a shard did.
	 * @param shard its number
	 * @param startOrder how many shards had started when it did, itself included
	 */
	public record ShardReport(int shard, int startOrder) {
	}

}
