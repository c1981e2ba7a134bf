package io.github.lockstep;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The blocking bridges of an acquire future, {@code join()} and {@code get()}: an interrupt or a
 * {@code get} timeout gives the place in the queue up without losing a permit, a blocking wait
 * inside a continuation that Lockstep runs is refused, and blocked virtual threads are served.
 */
class BlockingBridgeTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@Test
	void joinInterruptedWhileQueuedGivesThePlaceUpAndRestoresTheInterruptFlag() throws InterruptedException {
		AsyncSemaphore semaphore = AsyncSemaphore.create("bridge", 1);
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<Void> interrupted = semaphore.acquire();
		CompletableFuture<Void> next = semaphore.acquire();
		Interrupted outcome = interruptWhileBlocked("bridge-join", interrupted::join);

		assertThat(outcome.thrown()).isInstanceOf(CancellationException.class);
		assertThat(outcome.flagAfter()).isTrue();
		assertThat(interrupted).isCancelled();
		assertThat(semaphore.queueLength()).isOne();
		semaphore.release();
		assertThat(next).isCompleted();
		assertThat(semaphore.availablePermits()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void joinOnAThreadAlreadyInterruptedGivesThePlaceUpAtOnce() {
		AsyncLock lock = AsyncLock.create("bridge");
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> waiter = lock.acquire();
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(CancellationException.class).isThrownBy(waiter::join);
			assertThat(Thread.currentThread().isInterrupted()).as("interrupt flag restored").isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void getInterruptedWhileQueuedThrowsInterruptedExceptionAndGivesThePlaceUp() throws InterruptedException {
		AsyncLock lock = AsyncLock.create("bridge");
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> interrupted = lock.acquire();
		CompletableFuture<Void> next = lock.acquire();
		Interrupted outcome = interruptWhileBlocked("bridge-get", interrupted::get);

		assertThat(outcome.thrown()).isInstanceOf(InterruptedException.class);
		assertThat(outcome.flagAfter()).as("interrupt flag after InterruptedException").isFalse();
		assertThat(interrupted).isCancelled();
		assertThat(lock.queueLength()).isOne();
		lock.release();
		assertThat(next).isCompleted();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void getWithTimeoutThatRunsOutGivesThePlaceUp() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("bridge", 0);
		CompletableFuture<Void> timedOut = semaphore.acquire();
		CompletableFuture<Void> next = semaphore.acquire();
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> timedOut.get(20, TimeUnit.MILLISECONDS));
		assertThat(timedOut).isCancelled();
		assertThat(semaphore.queueLength()).isOne();
		semaphore.release();
		assertThat(next).isCompleted();
		assertThat(semaphore.availablePermits()).isZero();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void getWithTimeoutOfAGrantedWaitReturnsAtOnce() throws Exception {
		AsyncSemaphore semaphore = AsyncSemaphore.create("bridge", 0);
		CompletableFuture<Void> waiter = semaphore.acquire();
		semaphore.release();
		assertThat(waiter.get(0, TimeUnit.MILLISECONDS)).isNull();
		assertThat(semaphore.availablePermits()).isZero();
	}

	@Test
	void joinInsideAContinuationThatLockstepRunsIsRefused() {
		AsyncLock lock = AsyncLock.create("bridge");
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> first = lock.acquire();
		CompletableFuture<Void> second = lock.acquire();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		CompletableFuture<Void> continuation = first.thenRun(() -> {
			try {
				second.join();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			finally {
				lock.release();
			}
		});
		lock.release();
		assertThat(continuation).isCompleted();
		assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Lock 'bridge'")
			.hasMessageContaining("thenCompose");
		assertThat(second).as("the refused wait is still served").isCompleted();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void getAndTimedGetInsideAContinuationThatLockstepRunsAreRefused() {
		AsyncSemaphore semaphore = AsyncSemaphore.create("bridge", 0);
		CompletableFuture<Void> first = semaphore.acquire();
		CompletableFuture<Void> second = semaphore.acquire();
		AtomicReference<Throwable> fromGet = new AtomicReference<>();
		AtomicReference<Throwable> fromTimedGet = new AtomicReference<>();
		first.thenRun(() -> {
			try {
				second.get();
			}
			catch (Throwable ex) {
				fromGet.set(ex);
			}
			try {
				second.get(1, TimeUnit.SECONDS);
			}
			catch (Throwable ex) {
				fromTimedGet.set(ex);
			}
			semaphore.release();
		});
		semaphore.release();
		assertThat(fromGet.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("thenCompose");
		assertThat(fromTimedGet.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("thenCompose");
		assertThat(second).isCompleted();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void joinInsideAContinuationOfAWaitAlreadyGrantedReturns() {
		AsyncLock lock = AsyncLock.create("bridge");
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> first = lock.acquire();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		first.thenRun(() -> {
			try {
				first.join();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			lock.release();
		});
		lock.release();
		assertThat(thrown).hasValue(null);
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void thousandVirtualThreadsBlockedInJoinOnASemaphoreOfTwoAllComplete() throws Exception {
		ExecutorService executor = virtualThreadPerTaskExecutor();
		try {
			int tasks = 1_000;
			AsyncSemaphore semaphore = AsyncSemaphore.create("bridge-virtual", 2);
			assertThat(semaphore.tryAcquire()).isTrue();
			assertThat(semaphore.tryAcquire()).isTrue();
			AtomicInteger inside = new AtomicInteger();
			AtomicInteger mostInside = new AtomicInteger();
			CountDownLatch done = new CountDownLatch(tasks);
			for (int i = 0; i < tasks; i++) {
				executor.execute(() -> {
					semaphore.acquire().join();
					mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
					inside.decrementAndGet();
					semaphore.release();
					done.countDown();
				});
			}
			assertThat(waitUntil(() -> semaphore.queueLength() == tasks)).as("all blocked in join(), queued %d",
					semaphore.queueLength())
				.isTrue();
			semaphore.release();
			semaphore.release();
			assertThat(done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("all served, %s", semaphore).isTrue();
			assertThat(mostInside.get()).isBetween(1, 2);
			assertThat(semaphore.availablePermits()).isEqualTo(2);
			assertThat(semaphore.queueLength()).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void virtualThreadInterruptedInJoinGivesThePlaceUp() throws Exception {
		ExecutorService executor = virtualThreadPerTaskExecutor();
		try {
			AsyncLock lock = AsyncLock.create("bridge-virtual");
			assertThat(lock.tryAcquire()).isTrue();
			CompletableFuture<Void> interrupted = lock.acquire();
			CompletableFuture<Void> next = lock.acquire();
			AtomicReference<Thread> blocked = new AtomicReference<>();
			AtomicBoolean flagAfter = new AtomicBoolean();
			CountDownLatch done = new CountDownLatch(1);
			executor.execute(() -> {
				blocked.set(Thread.currentThread());
				try {
					interrupted.join();
				}
				catch (CancellationException ex) {
					flagAfter.set(Thread.currentThread().isInterrupted());
				}
				done.countDown();
			});
			assertThat(waitUntil(() -> blocked.get() != null)).isTrue();
			awaitBlocked(blocked.get());
			blocked.get().interrupt();
			assertThat(done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			assertThat(flagAfter).isTrue();
			assertThat(interrupted).isCancelled();
			assertThat(lock.queueLength()).isOne();
			lock.release();
			assertThat(next).isCompleted();
			lock.release();
			assertThat(lock.isLocked()).isFalse();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void interruptsRacingGrantsNeitherLoseNorDuplicateAPermit() throws InterruptedException {
		StressSupport support = new StressSupport();
		AsyncSemaphore semaphore = AsyncSemaphore.create("bridge-interrupts", 2);
		int threads = 6;
		int rounds = 2_000;
		AtomicInteger inside = new AtomicInteger();
		LongAdder served = new LongAdder();
		LongAdder gaveUp = new LongAdder();
		CountDownLatch done = new CountDownLatch(threads);
		Thread[] workers = new Thread[threads];
		for (int i = 0; i < threads; i++) {
			SplittableRandom random = support.split();
			workers[i] = new Thread(() -> {
				try {
					for (int round = 0; round < rounds; round++) {
						boolean granted = acquireBlocking(semaphore, random.nextBoolean(), support);
						Thread.interrupted();
						if (granted) {
							if (inside.incrementAndGet() > 2) {
								support.violation("more than 2 holders of a semaphore of 2");
							}
							for (int spin = random.nextInt(500); spin > 0; spin--) {
								Thread.onSpinWait();
							}
							inside.decrementAndGet();
							served.increment();
							semaphore.release();
						}
						else {
							gaveUp.increment();
						}
					}
				}
				catch (Throwable ex) {
					support.violation("worker failed", ex);
				}
				finally {
					done.countDown();
				}
			}, "bridge-interrupts-" + i);
			workers[i].setDaemon(true);
		}
		for (Thread worker : workers) {
			worker.start();
		}
		SplittableRandom random = support.split();
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (done.getCount() > 0 && System.nanoTime() - deadline < 0) {
			workers[random.nextInt(threads)].interrupt();
			Thread.yield();
		}
		assertThat(done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("workers done, %s", support.context())
			.isTrue();
		support.assertNoViolations();
		assertThat(semaphore.availablePermits()).as("permits, %s", support.context()).isEqualTo(2);
		assertThat(semaphore.queueLength()).as("queue, %s", support.context()).isZero();
		assertThat(served.sum() + gaveUp.sum()).isEqualTo((long) threads * rounds);
		assertThat(gaveUp.sum()).as("waits given up on interrupt, %s", support.context()).isPositive();
	}

	/** Blocks in {@code join()} or {@code get()}; returns whether the permit is the caller's. */
	private static boolean acquireBlocking(AsyncSemaphore semaphore, boolean useGet, StressSupport support) {
		CompletableFuture<Void> waiter = semaphore.acquire();
		try {
			if (useGet) {
				waiter.get();
			}
			else {
				waiter.join();
			}
			return true;
		}
		catch (CancellationException | InterruptedException ex) {
			if (!waiter.isCancelled()) {
				support.violation("gave up, but the wait is " + waiter);
			}
			return false;
		}
		catch (Exception ex) {
			support.violation("unexpected failure", ex);
			return false;
		}
	}

	/** {@code Executors.newVirtualThreadPerTaskExecutor()} on JDK 21+; the test is skipped before. */
	private static ExecutorService virtualThreadPerTaskExecutor() throws ReflectiveOperationException {
		Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
		Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
		return (ExecutorService) factory.invoke(null);
	}

	/**
	 * Runs {@code wait} on a new platform thread, interrupts it once it blocks, and returns what it
	 * threw and its interrupt flag afterwards.
	 */
	private static Interrupted interruptWhileBlocked(String name, Callable<?> wait) throws InterruptedException {
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicBoolean flagAfter = new AtomicBoolean();
		Thread blocked = new Thread(() -> {
			try {
				wait.call();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			flagAfter.set(Thread.currentThread().isInterrupted());
		}, name);
		blocked.start();
		awaitBlocked(blocked);
		blocked.interrupt();
		blocked.join(DEADLINE.toMillis());
		assertThat(blocked.isAlive()).isFalse();
		return new Interrupted(thrown.get(), flagAfter.get());
	}

	private record Interrupted(Throwable thrown, boolean flagAfter) {
	}

	/** Waits until {@code thread} parks (the blocking bridge), without sleeping. */
	private static void awaitBlocked(Thread thread) {
		assertThat(waitUntil(() -> thread.getState() == Thread.State.WAITING
				|| thread.getState() == Thread.State.TIMED_WAITING))
			.as("%s blocked, state %s", thread, thread.getState())
			.isTrue();
	}

	private static boolean waitUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			Thread.yield();
		}
		return true;
	}

}
