package io.github.lockstep.sample.subprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.annotation.Throttled;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * asyncio's subprocess example: external processes, started with {@link ProcessBuilder}, at most
 * {@code lockstep.semaphores.subprocesses.permits} at a time (2 in {@code application.yml}). The
 * permit is taken before the process starts and comes back when {@link Process#onExit()} completes,
 * so {@link #peakRunning()} never exceeds it; no thread waits for a process to end.
 *
 * <pre>{@code
 * renderer.render(Duration.ofMillis(300))        // waits for a permit, then runs `sleep 0.300`
 *     .thenAccept(rendered -> log.info("exit {}", rendered.exitValue()));
 * }</pre>
 */
@Service
public class ReportRenderer implements DisposableBean {

	private final Set<Process> live = ConcurrentHashMap.newKeySet();

	private final AtomicInteger peakRunning = new AtomicInteger();

	/**
	 * Runs {@code sleep} as a separate process, standing in for a renderer that takes
	 * {@code runTime}. Cancelling the returned future kills the process; the future completes,
	 * cancelled, once the process has exited, and only then is the permit given back.
	 * @param runTime how long the process runs
	 * @return the process's exit, once it has exited
	 */
	@Throttled("subprocesses")
	public CompletableFuture<Rendered> render(Duration runTime) {
		long startedAt = System.nanoTime();
		Process process = start(List.of("sleep", BigDecimal.valueOf(runTime.toMillis(), 3).toPlainString()));
		this.live.add(process);
		this.peakRunning.accumulateAndGet(this.live.size(), Math::max);
		Rendering rendering = new Rendering(process);
		process.onExit().whenComplete((exited, failure) -> {
			this.live.remove(process);
			rendering.exited(new Rendered(process.pid(), process.exitValue(),
					Duration.ofNanos(System.nanoTime() - startedAt).toMillis()));
		});
		return rendering;
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
		return this.live.size();
	}

	/**
	 * Returns the most processes that ever ran at once.
	 * @return at most the configured permits
	 */
	public int peakRunning() {
		return this.peakRunning.get();
	}

	/** Kills what still runs, so that no process outlives the app. */
	@Override
	public void destroy() {
		this.live.forEach(Process::destroyForcibly);
	}

	/**
	 * A process that ran.
	 * @param pid its process id
	 * @param exitValue its exit code
	 * @param elapsedMillis from its start to its exit
	 */
	public record Rendered(long pid, int exitValue, long elapsedMillis) {
	}

	/**
	 * The future of one process. A cancel, as Lockstep passes on when the caller cancels, asks the
	 * process to end, and the future completes (cancelled) when it has: the permit must not come back
	 * while the process still runs. Like a cancelled asyncio task, it ends when its work has ended.
	 */
	private static final class Rendering extends CompletableFuture<Rendered> {

		private final Process process;

		private volatile boolean killed;

		Rendering(Process process) {
			this.process = process;
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			if (isDone()) {
				return false;
			}
			this.killed = true;
			this.process.destroyForcibly();
			return true;
		}

		void exited(Rendered rendered) {
			if (this.killed) {
				super.cancel(false);
			}
			else {
				complete(rendered);
			}
		}

	}

}
