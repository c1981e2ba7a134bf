package io.github.lockstep.sample.subprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.annotation.Throttled;

import org.springframework.stereotype.Service;

/**
 * asyncio's subprocess example: external processes, started with {@link ProcessBuilder}, at most
 * {@code lockstep.semaphores.subprocesses.permits} at a time (2 in {@code application.yml}). The
 * permit is taken before the process starts and comes back when {@link Process#onExit()} completes,
 * so {@link #peakRunning()} never exceeds it; no thread waits for a process to end.
 */
@Service
public class ReportRenderer {

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger peakRunning = new AtomicInteger();

	/**
	 * Runs {@code sleep} as a separate process, standing in for a renderer that takes
	 * {@code runTime}. Cancelling the returned future kills the process (and gives the permit back
	 * at once, as a cancelled stage ends there).
	 * @param runTime how long the process runs
	 * @return the process's exit, once it has exited
	 */
	@Throttled("subprocesses")
	public CompletableFuture<Rendered> render(Duration runTime) {
		Process process = start(List.of("sleep", BigDecimal.valueOf(runTime.toMillis(), 3).toPlainString()));
		this.peakRunning.accumulateAndGet(this.running.incrementAndGet(), Math::max);
		long startedAt = System.nanoTime();
		CompletableFuture<Rendered> rendered = new CompletableFuture<>();
		process.onExit().whenComplete((exited, failure) -> {
			this.running.decrementAndGet();
			rendered.complete(new Rendered(process.pid(), process.exitValue(),
					Duration.ofNanos(System.nanoTime() - startedAt).toMillis()));
		});
		rendered.whenComplete((result, failure) -> {
			if (rendered.isCancelled()) {
				process.destroyForcibly();
			}
		});
		return rendered;
	}

	private static Process start(List<String> command) {
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
	}

	/**
	 * Returns how many processes run now.
	 * @return processes started and not yet exited
	 */
	public int running() {
		return this.running.get();
	}

	/**
	 * Returns the most processes that ever ran at once.
	 * @return at most the configured permits
	 */
	public int peakRunning() {
		return this.peakRunning.get();
	}

	/**
	 * A process that ran.
	 * @param pid its process id
	 * @param exitValue its exit code
	 * @param elapsedMillis from its start to its exit
	 */
	public record Rendered(long pid, int exitValue, long elapsedMillis) {
	}

}
