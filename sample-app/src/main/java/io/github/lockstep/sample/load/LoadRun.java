package io.github.lockstep.sample.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of the load: its clients, its deadline, and what their calls did. A run has ended once
 * its last client has, which {@link #clientEnded()} reports.
 */
final class LoadRun {

	private final long startedAt = System.nanoTime();

	private final long durationNanos;

	private final AtomicInteger clients = new AtomicInteger();

	private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

	private final Map<String, Map<String, LongAdder>> failures = new ConcurrentHashMap<>();

	private volatile boolean stopped;

	// how long the run lasted, once its last client has ended; -1 until then
	private volatile long lastedNanos = -1;

	private volatile ScheduledFuture<?> progress;

	LoadRun(Duration duration) {
		this.durationNanos = duration.toNanos();
	}

	/** Whether clients should go on calling: the time is not up and nobody asked to stop. */
	boolean isActive() {
		return !this.stopped && System.nanoTime() - this.startedAt < this.durationNanos;
	}

	boolean hasEnded() {
		return this.lastedNanos >= 0;
	}

	void stop() {
		this.stopped = true;
	}

	void progress(ScheduledFuture<?> progress) {
		this.progress = progress;
	}

	void clientStarted() {
		this.clients.incrementAndGet();
	}

	/**
	 * Counts a client out.
	 * @return whether it was the last, which ends the run
	 */
	boolean clientEnded() {
		if (this.clients.decrementAndGet() > 0) {
			return false;
		}
		this.lastedNanos = System.nanoTime() - this.startedAt;
		ScheduledFuture<?> progress = this.progress;
		if (progress != null) {
			progress.cancel(false);
		}
		return true;
	}

	void record(String scenario, Throwable failure) {
		this.calls.computeIfAbsent(scenario, (key) -> new LongAdder()).increment();
		if (failure != null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			this.failures.computeIfAbsent(scenario, (key) -> new ConcurrentHashMap<>())
				.computeIfAbsent(cause.getClass().getSimpleName(), (key) -> new LongAdder())
				.increment();
		}
	}

	LoadStatus status() {
		long lasted = this.lastedNanos;
		boolean running = lasted < 0;
		long elapsed = running ? System.nanoTime() - this.startedAt : lasted;
		Map<String, Long> calls = new TreeMap<>();
		this.calls.forEach((scenario, count) -> calls.put(scenario, count.sum()));
		Map<String, Map<String, Long>> failures = new TreeMap<>();
		this.failures.forEach((scenario, byType) -> {
			Map<String, Long> counts = new TreeMap<>();
			byType.forEach((type, count) -> counts.put(type, count.sum()));
			failures.put(scenario, counts);
		});
		return new LoadStatus(running, TimeUnit.NANOSECONDS.toMillis(elapsed),
				TimeUnit.NANOSECONDS.toMillis(this.durationNanos), this.clients.get(), calls, failures);
	}

}
