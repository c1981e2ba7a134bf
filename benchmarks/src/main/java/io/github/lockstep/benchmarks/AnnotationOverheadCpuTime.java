package io.github.lockstep.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.benchmarks.AnnotatedServices.Service;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Workload 6, cross-checked in CPU time (a main class, not JMH). On a machine shared with other
 * builds, wall time counts the time a benchmark thread waits for a core. This runs the calls of
 * {@link AnnotationOverheadBenchmark} and divides the CPU time that the calling thread used by the
 * number of calls, which leaves that wait out. Garbage collection runs on other threads, so the
 * process's CPU time per call (all threads, GC and JIT included) is reported too.
 *
 * <p>Each variant and method runs in a JVM of its own, which this class starts: 3 s of warm-up,
 * then 20 measured rounds of about 200 ms each. The table gives the median and the lowest round
 * of the thread's CPU time per call, and the process's over all 20 rounds (its clock ticks in
 * 10 ms steps here, too coarse for one round).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.lockstep.benchmarks.AnnotationOverheadCpuTime
 * </pre>
 */
public final class AnnotationOverheadCpuTime {

	private static final List<String> VARIANTS = List.of("unannotated", "proxy-only", "lockstep", "concurrency-limit",
			"resilience4j");

	private static final int ROUNDS = 20;

	private static final long WARM_UP_NANOS = 3_000_000_000L;

	private static final long ROUND_NANOS = 200_000_000;

	/** Written by every call, so that no result, future included, can be optimized away. */
	private Object sink;

	private AnnotationOverheadCpuTime() {
	}

	public static void main(String[] args) throws IOException, InterruptedException {
		if (args.length == 2) {
			new AnnotationOverheadCpuTime().measure(args[0], args[1]);
			return;
		}
		System.out.println("| method | variant | thread CPU ns/call, median | lowest round | process CPU ns/call, 20 rounds |");
		System.out.println("|---|---|--:|--:|--:|");
		for (String method : List.of("sync", "stage")) {
			for (String variant : VARIANTS) {
				System.out.println(fork(variant, method));
			}
		}
	}

	/** Runs one variant and method in a new JVM, and returns the table row it prints. */
	private static String fork(String variant, String method) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				AnnotationOverheadCpuTime.class.getName(), variant, method)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			output.lines().forEach(lines::add);
		}
		if (process.waitFor() != 0 || lines.isEmpty()) {
			throw new IllegalStateException(variant + " " + method + ": the measuring JVM failed");
		}
		return lines.get(lines.size() - 1);
	}

	private void measure(String variant, String method) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		try (AnnotationConfigApplicationContext context = AnnotatedServices.start(variant)) {
			Service service = context.getBean(Service.class);
			boolean stage = method.equals("stage");
			long warmUpEnd = threads.getCurrentThreadCpuTime() + WARM_UP_NANOS;
			long calls = 10_000;
			long spent;
			do {
				long start = threads.getCurrentThreadCpuTime();
				run(service, stage, calls);
				spent = threads.getCurrentThreadCpuTime() - start;
			}
			while (threads.getCurrentThreadCpuTime() < warmUpEnd);
			calls = Math.max(calls, calls * ROUND_NANOS / Math.max(1, spent));
			double[] thread = new double[ROUNDS];
			long processStart = os.getProcessCpuTime();
			for (int round = 0; round < ROUNDS; round++) {
				long threadStart = threads.getCurrentThreadCpuTime();
				run(service, stage, calls);
				thread[round] = (threads.getCurrentThreadCpuTime() - threadStart) / (double) calls;
			}
			double process = (os.getProcessCpuTime() - processStart) / ((double) calls * ROUNDS);
			if (System.getProperty("rounds") != null) {
				System.out.println(Arrays.toString(thread));
			}
			Arrays.sort(thread);
			System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f |%n", method, variant, thread[ROUNDS / 2],
					thread[0], process);
		}
	}

	private void run(Service service, boolean stage, long calls) {
		if (stage) {
			for (long i = 0; i < calls; i++) {
				CompletableFuture<String> result = service.stage();
				if (!result.isDone()) {
					throw new IllegalStateException("an uncontended call's future did not complete at once");
				}
				this.sink = result;
			}
		}
		else {
			for (long i = 0; i < calls; i++) {
				this.sink = service.sync();
			}
		}
	}

}
