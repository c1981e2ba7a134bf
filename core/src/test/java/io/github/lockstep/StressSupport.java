package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the stress tests share: the seed, a pool of platform threads, a record of invariant
 * violations, and bounded waits so that nothing hangs.
 *
 * <p>The seed comes from {@code -Dlockstep.stress.seed=N} (a fixed default otherwise) and is named
 * in every failure message. It fixes each worker's choices; the interleaving of real threads is
 * not reproducible, so a failure is rerun with the same seed a few times.
 * {@code -Dlockstep.stress.debug=true} also prints the stack of the first violation.
 */
final class StressSupport {

	static final String SEED_PROPERTY = "lockstep.stress.seed";

	private static final long DEFAULT_SEED = 20_240_917L;

	/** Longest a stress run may take before it counts as hung. */
	static final Duration DEADLINE = Duration.ofSeconds(20);

	private final long seed;

	private final SplittableRandom random;

	private final Queue<String> violations = new ConcurrentLinkedQueue<>();

	private final AtomicInteger violationCount = new AtomicInteger();

	StressSupport() {
		this.seed = Long.getLong(SEED_PROPERTY, DEFAULT_SEED);
		this.random = new SplittableRandom(this.seed);
	}

	/** A description for assertions: the seed and how to rerun with it. */
	String context() {
		return "seed " + this.seed + " (rerun with -D" + SEED_PROPERTY + "=" + this.seed + ")";
	}

	/** An independent random for one worker; call on the test thread, in a fixed order. */
	SplittableRandom split() {
		return this.random.split();
	}

	/** Records a broken invariant; checked by {@link #assertNoViolations()}. */
	void violation(String message) {
		if (this.violationCount.incrementAndGet() == 1 && Boolean.getBoolean("lockstep.stress.debug")) {
			new Throwable("first violation: " + message).printStackTrace();
		}
		if (this.violationCount.get() <= 20) {
			this.violations.add(message + " [" + Thread.currentThread().getName() + "]");
		}
	}

	void violation(String message, Throwable ex) {
		violation(message + ": " + ex);
	}

	boolean hasViolations() {
		return this.violationCount.get() > 0;
	}

	void assertNoViolations() {
		assertThat(this.violations).as("invariant violations (%d in all), %s", this.violationCount.get(), context())
			.isEmpty();
	}

	/**
	 * Runs the workers on {@code threads} platform threads and waits for all of them, within the
	 * deadline. An exception escaping a worker is recorded as a violation.
	 */
	void runWorkers(int threads, List<Runnable> workers) throws InterruptedException {
		ExecutorService pool = Executors.newFixedThreadPool(threads, new NamedThreads("stress-worker"));
		try {
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(workers.size());
			for (Runnable worker : workers) {
				pool.execute(() -> {
					try {
						start.await();
						worker.run();
					}
					catch (Throwable ex) {
						violation("worker failed", ex);
					}
					finally {
						done.countDown();
					}
				});
			}
			start.countDown();
			assertThat(done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
				.as("workers finished within %s, %s", DEADLINE, context())
				.isTrue();
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Runs {@code step} until {@code condition} holds or the deadline passes.
	 * @return whether the condition held
	 */
	static boolean settle(BooleanSupplier condition, Runnable step) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		for (;;) {
			step.run();
			if (condition.getAsBoolean()) {
				return true;
			}
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			Thread.yield();
		}
	}

	/**
	 * Starts {@code count} waits with {@code start}, each given a Lockstep timeout and an
	 * {@code orTimeout} of the same millisecond, so that the two timeouts fire together on two
	 * threads, and waits until all have ended.
	 * @return the waits, all done
	 */
	static <T> List<CompletableFuture<T>> raceTwoTimeouts(int count,
			Function<Duration, CompletableFuture<T>> start) {
		List<CompletableFuture<T>> waits = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			waits.add(start.apply(Duration.ofMillis(1)).orTimeout(1, TimeUnit.MILLISECONDS));
		}
		assertThat(CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).handle((ok, ex) -> ex))
			.succeedsWithin(DEADLINE);
		return waits;
	}

	/** The waits of {@code waits} that completed normally. */
	static <T> List<CompletableFuture<T>> completedNormally(List<CompletableFuture<T>> waits) {
		return waits.stream().filter((wait) -> !wait.isCompletedExceptionally()).toList();
	}

	/**
	 * Lets another thread run now and then: with more threads than cores, a worker would
	 * otherwise do most of its operations within one time slice, alone.
	 */
	static void pace(int op) {
		if ((op & 15) == 15) {
			Thread.yield();
		}
	}

	/** A timeout of 0 to 2 ms. */
	static Duration shortTimeout(SplittableRandom random) {
		return Duration.ofNanos(random.nextLong(0, 2_000_001));
	}

	static Throwable unwrap(Throwable ex) {
		Throwable cause = ex;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** Whether {@code ex} is how a wait that gave up ends: cancelled or timed out. */
	static boolean isGiveUp(Throwable ex) {
		return ex instanceof CancellationException || ex instanceof AcquireTimeoutException;
	}

	/** Removes and returns a random element, or {@code null} if the list is empty. */
	static <T> T takeRandom(List<T> list, SplittableRandom random) {
		if (list.isEmpty()) {
			return null;
		}
		int index = random.nextInt(list.size());
		T last = list.remove(list.size() - 1);
		if (index == list.size()) {
			return last;
		}
		return list.set(index, last);
	}

	static <T> List<T> concat(List<List<T>> lists) {
		List<T> all = new ArrayList<>();
		lists.forEach(all::addAll);
		return all;
	}

	private static final class NamedThreads implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		NamedThreads(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + "-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
