package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The bodies of the test services' annotated methods: a call counts itself in, waits on a gate that
 * the test opens, and counts itself out before the stage it waits on completes, so that the most
 * calls ever inside a method at once is exact, whichever thread releases what.
 */
public final class Gates {

	/** How long a test waits for something that should happen at once. */
	public static final Duration DEADLINE = Duration.ofSeconds(10);

	private final BlockingQueue<CompletableFuture<Void>> closed = new LinkedBlockingQueue<>();

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicInteger mostInside = new AtomicInteger();

	private final AtomicInteger entered = new AtomicInteger();

	/** A body that enters and leaves at once: counts it as run. */
	public void pass() {
		this.entered.incrementAndGet();
		this.mostInside.accumulateAndGet(this.inside.get() + 1, Math::max);
	}

	/**
	 * Enters, and returns a stage that completes with the value once the test opens this call's
	 * gate, the call having left by then.
	 */
	public <T> CompletableFuture<T> hold(T value) {
		this.entered.incrementAndGet();
		this.mostInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
		CompletableFuture<Void> gate = new CompletableFuture<>();
		CompletableFuture<T> held = gate.handle((opened, failure) -> {
			this.inside.decrementAndGet();
			return value;
		});
		this.closed.add(gate);
		return held;
	}

	/** Waits for the next call to reach its gate, and returns the gate (closed). */
	public CompletableFuture<Void> next() {
		try {
			CompletableFuture<Void> gate = this.closed.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
			if (gate == null) {
				fail("no call reached its gate within %s: %d inside, %d entered", DEADLINE, inside(), entered());
			}
			return gate;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Opens {@code count} gates in the order the calls reach them, each on one of four threads, so
	 * that calls end, and the places they free are handed on, on several threads at once.
	 */
	public void openAll(int count) {
		AtomicInteger threads = new AtomicInteger();
		ExecutorService openers = Executors.newFixedThreadPool(4,
				(task) -> new Thread(task, "gate-opener-" + threads.incrementAndGet()));
		try {
			for (int i = 0; i < count; i++) {
				CompletableFuture<Void> gate = next();
				openers.execute(() -> gate.complete(null));
			}
		}
		finally {
			openers.shutdown();
		}
	}

	/** Calls at their gate, not yet taken by {@link #next()}. */
	public int closed() {
		return this.closed.size();
	}

	public int inside() {
		return this.inside.get();
	}

	public int mostInside() {
		return this.mostInside.get();
	}

	/** Bodies run so far. */
	public int entered() {
		return this.entered.get();
	}

	/** Opens any gate an earlier (failed) test left closed, and zeroes the counts. */
	public void reset() {
		for (CompletableFuture<Void> gate = this.closed.poll(); gate != null; gate = this.closed.poll()) {
			gate.complete(null);
		}
		this.inside.set(0);
		this.mostInside.set(0);
		this.entered.set(0);
	}

	/**
	 * Makes the calls one after the other on one thread, which must never block: a call that waited
	 * on it would hold the loop until a gate opens, and no gate opens before the loop returns.
	 */
	public static <T> List<CompletableFuture<T>> issueFromOneThread(int count, IntFunction<CompletableFuture<T>> call) {
		return assertTimeoutPreemptively(DEADLINE, () -> IntStream.range(0, count).mapToObj(call).toList(),
				"the issuing thread blocked");
	}

	/**
	 * Checks a batch of calls issued while every gate was closed: {@code limit} of them are inside,
	 * held at their gates, the rest wait ({@code waiting} reads the primitive's queue) and none is
	 * done; then opens the gates and checks that all finish, in call order, with never more than
	 * {@code limit} inside.
	 */
	public void assertLimitHolds(List<CompletableFuture<Integer>> calls, int limit, IntSupplier waiting) {
		assertThat(closed()).as("admitted, held at their gates").isEqualTo(limit);
		assertThat(waiting.getAsInt()).as("still waiting").isEqualTo(calls.size() - limit);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		openAll(calls.size());
		assertThat(resultsOf(calls)).containsExactlyElementsOf(IntStream.range(0, calls.size()).boxed().toList());
		assertThat(mostInside()).isEqualTo(limit);
	}

	/** Waits for every call to succeed, and returns the results in call order. */
	public static <T> List<T> resultsOf(List<CompletableFuture<T>> calls) {
		assertThat(CompletableFuture.allOf(calls.toArray(CompletableFuture<?>[]::new))).succeedsWithin(DEADLINE);
		return calls.stream().map(CompletableFuture::join).toList();
	}

	/** Waits for the future to fail, and returns why (a cancel gives a {@code CancellationException}). */
	public static Throwable failureOf(CompletableFuture<?> future) {
		try {
			Object value = future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
			throw new AssertionError("expected a failure, but completed with " + value);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (CancellationException ex) {
			return ex;
		}
		catch (TimeoutException ex) {
			throw new AssertionError("not completed within " + DEADLINE, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits, yielding, until the condition holds, for states no future reports (a thread blocked in a
	 * wait); fails after {@link #DEADLINE}.
	 */
	public static void awaitUntil(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				fail("not within %s: %s", DEADLINE, what);
			}
			Thread.yield();
		}
	}

}
