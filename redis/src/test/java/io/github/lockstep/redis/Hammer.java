package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.Hold;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads that acquire holds of one primitive on several instances, some plainly, some with
 * a short timeout, some cancelled at once; each granted hold is held a moment and released once.
 * {@link #assertSafe()} checks that at no moment more than {@code permits} callers were inside,
 * that no fencing token was granted twice, and that every grant was released exactly once.
 */
final class Hammer {

	private final int permits;

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicInteger mostInside = new AtomicInteger();

	private final Set<Long> tokens = ConcurrentHashMap.newKeySet();

	private final LongAdder granted = new LongAdder();

	private final LongAdder released = new LongAdder();

	private final LongAdder ended = new LongAdder();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private long attempts;

	Hammer(int permits) {
		this.permits = permits;
	}

	/** Starts {@code threads} threads on {@code primitive}, each making {@code rounds} attempts. */
	void start(PermitPrimitive primitive, int threads, int rounds) {
		start(threads, rounds, () -> run(primitive, rounds));
	}

	/**
	 * Starts {@code threads} threads on {@code primitive} that use asyncio's anonymous form, as
	 * {@code @Throttled} does: {@code acquire()}, then {@code release()} of whichever hold of the
	 * instance is oldest; half of them release in the continuation of the grant, on the thread that
	 * completes it. On a plain semaphore a release that finds no hold of its instance makes a new
	 * permit, so a hold lost track of shows as one caller too many inside.
	 */
	void startAnonymous(PermitPrimitive primitive, int threads, int rounds) {
		start(threads, rounds, () -> runAnonymous(primitive, rounds));
	}

	private void start(int threads, int rounds, Runnable body) {
		for (int t = 0; t < threads; t++) {
			Thread thread = new Thread(body, "hammer-" + this.threads.size());
			this.threads.add(thread);
			this.attempts += rounds;
			thread.start();
		}
	}

	private void runAnonymous(PermitPrimitive primitive, int rounds) {
		try {
			for (int round = 0; round < rounds; round++) {
				ThreadLocalRandom random = ThreadLocalRandom.current();
				CompletableFuture<Void> acquisition = random.nextBoolean()
						? primitive.acquire(Duration.ofMillis(1 + random.nextInt(20))) : primitive.acquire();
				boolean inContinuation = random.nextBoolean();
				CompletableFuture<Void> call = inContinuation ? acquisition.thenRun(() -> hold(primitive)) : acquisition;
				try {
					call.get(30, TimeUnit.SECONDS);
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof AcquireTimeoutException || ex.getCause() instanceof RedisUnavailableException) {
						this.ended.increment();
						continue;
					}
					throw ex;
				}
				if (!inContinuation) {
					hold(primitive);
				}
			}
		}
		catch (Throwable ex) {
			this.failures.add(ex);
		}
	}

	private void hold(PermitPrimitive primitive) {
		this.granted.increment();
		this.mostInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
		spin();
		this.inside.decrementAndGet();
		primitive.release();
		this.released.increment();
	}

	private void run(PermitPrimitive primitive, int rounds) {
		try {
			for (int round = 0; round < rounds; round++) {
				Hold hold = attempt(primitive);
				if (hold == null) {
					this.ended.increment();
					continue;
				}
				this.granted.increment();
				if (!this.tokens.add(hold.fencingToken())) {
					this.failures.add(new AssertionError("token granted twice: " + hold.fencingToken()));
				}
				this.mostInside.accumulateAndGet(this.inside.incrementAndGet(), Math::max);
				spin();
				this.inside.decrementAndGet();
				try {
					hold.release();
				}
				catch (RedisUnavailableException ex) {
					// a connection killed at the wrong moment: the next renewal passes the hold on
				}
				this.released.increment();
			}
		}
		catch (Throwable ex) {
			this.failures.add(ex);
		}
	}

	/** One acquisition, of a random kind; the hold, or null if it timed out, was cancelled or failed. */
	private static Hold attempt(PermitPrimitive primitive) throws Exception {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int kind = random.nextInt(4);
		CompletableFuture<Hold> acquisition = (kind == 0)
				? primitive.acquireHold(Duration.ofMillis(1 + random.nextInt(20))) : primitive.acquireHold();
		if (kind == 1) {
			if (random.nextBoolean()) {
				Thread.onSpinWait();
			}
			if (acquisition.cancel(false)) {
				return null;
			}
		}
		try {
			return acquisition.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof AcquireTimeoutException || ex.getCause() instanceof RedisUnavailableException) {
				return null;
			}
			throw ex;
		}
		catch (CancellationException ex) {
			throw new AssertionError("only this thread cancels, and it does not wait for what it cancelled", ex);
		}
	}

	/** Holds for up to 50 µs, so that holds overlap when they wrongly can. */
	private static void spin() {
		long until = System.nanoTime() + ThreadLocalRandom.current().nextInt(50_000);
		while (System.nanoTime() < until) {
			Thread.onSpinWait();
		}
	}

	long granted() {
		return this.granted.sum();
	}

	boolean isDone() {
		return this.threads.stream().noneMatch(Thread::isAlive);
	}

	void join(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : this.threads) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
			assertThat(thread.isAlive()).as(thread.getName() + " finished within " + timeout).isFalse();
		}
	}

	void assertSafe() {
		assertThat(this.failures).isEmpty();
		assertThat(this.mostInside.get()).as("most callers inside at once").isLessThanOrEqualTo(this.permits);
		assertThat(this.released.sum()).as("releases").isEqualTo(this.granted.sum());
		assertThat(this.granted.sum() + this.ended.sum()).as("attempts").isEqualTo(this.attempts);
		assertThat(this.granted.sum()).as("grants").isPositive();
	}

}
