package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timed waits of the in-memory primitives, on a {@link ManualScheduler} given to their
 * package-private constructors: a wait times out exactly at its deadline and not a nanosecond
 * before, its continuations run on the scheduler's thread, and a wait that ends otherwise takes
 * its task off the scheduler. The contract tests keep a few timeouts on real time, for every
 * implementation; these need none.
 */
class InMemoryTimeoutTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final ManualScheduler time = new ManualScheduler();

	/** A primitive with nothing free, and its timed wait. */
	enum Waiting {

		LOCK("Lock 'timed'") {
			@Override
			Function<Duration, CompletableFuture<?>> exhausted(TimeoutScheduler scheduler) {
				AsyncLock lock = new InMemoryLock("timed", scheduler);
				assertThat(lock.tryAcquire()).isTrue();
				return lock::acquire;
			}
		},

		SEMAPHORE("Semaphore 'timed'") {
			@Override
			Function<Duration, CompletableFuture<?>> exhausted(TimeoutScheduler scheduler) {
				return new InMemorySemaphore("timed", 0, false, scheduler)::acquire;
			}
		},

		EVENT("Event 'timed'") {
			@Override
			Function<Duration, CompletableFuture<?>> exhausted(TimeoutScheduler scheduler) {
				return new InMemoryEvent("timed", scheduler)::await;
			}
		},

		BARRIER("Barrier 'timed'") {
			@Override
			Function<Duration, CompletableFuture<?>> exhausted(TimeoutScheduler scheduler) {
				return new InMemoryBarrier("timed", Integer.MAX_VALUE, scheduler)::await;
			}
		};

		final String primitive;

		Waiting(String primitive) {
			this.primitive = primitive;
		}

		abstract Function<Duration, CompletableFuture<?>> exhausted(TimeoutScheduler scheduler);

	}

	@ParameterizedTest
	@EnumSource(Waiting.class)
	void timedWaitEndsAtItsDeadlineAndNotBefore(Waiting waiting) {
		CompletableFuture<?> wait = waiting.exhausted(this.time).apply(TIMEOUT);
		assertThat(this.time.pending()).isOne();
		this.time.advance(TIMEOUT.minusNanos(1));
		assertThat(wait).isNotDone();
		this.time.advance(Duration.ofNanos(1));
		assertThat(wait).failsWithin(Duration.ZERO)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AcquireTimeoutException.class)
			.withMessage(waiting.primitive + ": wait timed out after 2000ms");
		assertThat(this.time.pending()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Waiting.class)
	void timedOutWaitsContinuationsRunOnTheSchedulersThread(Waiting waiting) throws InterruptedException {
		CompletableFuture<?> wait = waiting.exhausted(this.time).apply(TIMEOUT);
		AtomicReference<String> ranOn = new AtomicReference<>();
		wait.whenComplete((value, failure) -> ranOn.set(Thread.currentThread().getName()));
		Thread timer = new Thread(() -> this.time.advance(TIMEOUT), "manual-timer");
		timer.start();
		timer.join();
		assertThat(ranOn).hasValue("manual-timer");
	}

	@ParameterizedTest
	@EnumSource(Waiting.class)
	void cancelledTimedWaitTakesItsTaskOffTheScheduler(Waiting waiting) {
		CompletableFuture<?> wait = waiting.exhausted(this.time).apply(TIMEOUT);
		assertThat(wait.cancel(false)).isTrue();
		assertThat(this.time.pending()).isZero();
		this.time.advance(TIMEOUT);
		assertThat(wait).isCancelled();
	}

	@ParameterizedTest
	@EnumSource(Waiting.class)
	void zeroOrNegativeTimeoutSchedulesNothing(Waiting waiting) {
		Function<Duration, CompletableFuture<?>> timedWait = waiting.exhausted(this.time);
		assertThat(timedWait.apply(Duration.ZERO)).isCompletedExceptionally();
		assertThat(timedWait.apply(Duration.ofMillis(-1))).isCompletedExceptionally();
		assertThat(this.time.scheduled()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Waiting.class)
	void timeoutTooLongForNanosecondsWaitsForever(Waiting waiting) {
		CompletableFuture<?> wait = waiting.exhausted(this.time).apply(Duration.ofSeconds(Long.MAX_VALUE));
		this.time.advance(Duration.ofDays(365 * 200));
		assertThat(wait).isNotDone();
		assertThat(wait.cancel(false)).isTrue();
	}

	@Test
	void waitsTimeOutInTheOrderOfTheirDeadlines() {
		AsyncLock lock = new InMemoryLock("timed", this.time);
		assertThat(lock.tryAcquire()).isTrue();
		List<String> ended = new ArrayList<>();
		lock.acquire(Duration.ofSeconds(3)).whenComplete((v, ex) -> ended.add("3s"));
		lock.acquire(Duration.ofSeconds(1)).whenComplete((v, ex) -> ended.add("1s"));
		CompletableFuture<Void> longest = lock.acquire(Duration.ofSeconds(5));
		lock.acquire(Duration.ofSeconds(2)).whenComplete((v, ex) -> ended.add("2s"));
		this.time.advance(Duration.ofSeconds(4));
		assertThat(ended).containsExactly("1s", "2s", "3s");
		assertThat(lock.queueLength()).isOne();
		lock.release();
		assertThat(longest).isCompleted();
		assertThat(this.time.pending()).as("the granted wait's timer").isZero();
	}

	@Test
	void grantBeforeTheDeadlineTakesTheTaskOffTheScheduler() {
		AsyncSemaphore semaphore = new InMemorySemaphore("timed", 0, false, this.time);
		CompletableFuture<Void> wait = semaphore.acquire(TIMEOUT);
		semaphore.release();
		assertThat(wait).isCompleted();
		assertThat(this.time.pending()).isZero();
		this.time.advance(TIMEOUT);
		assertThat(semaphore.availablePermits()).isZero();
	}

	/** A scheduler that ignores cancel: the task runs after the grant and must change nothing. */
	@Test
	void timeoutTaskThatRunsAfterTheGrantDoesNothing() {
		List<Runnable> tasks = new ArrayList<>();
		TimeoutScheduler ignoresCancel = (task, delay, unit) -> {
			tasks.add(task);
			return CompletableFuture.completedFuture(null);
		};
		AsyncLock lock = new InMemoryLock("timed", ignoresCancel);
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> granted = lock.acquire(TIMEOUT);
		CompletableFuture<Void> next = lock.acquire();
		lock.release();
		assertThat(granted).isCompleted();
		tasks.forEach(Runnable::run);
		assertThat(granted).isCompletedWithValue(null);
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isOne();
		lock.release();
		assertThat(next).isCompleted();
	}

	/** The wait times out while another party holds the lock: it completes once it has the lock back. */
	@Test
	void conditionWaitThatTimesOutCompletesWithFalseOnlyOnceItHoldsTheLockAgain() {
		AsyncCondition condition = new InMemoryCondition("timed", this.time);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Boolean> wait = condition.await(TIMEOUT);
		assertThat(condition.acquire()).isCompleted();
		this.time.advance(TIMEOUT.minusNanos(1));
		assertThat(condition.queueLength()).isOne();
		this.time.advance(Duration.ofNanos(1));
		assertThat(condition.queueLength()).isZero();
		assertThat(wait).as("timed out, re-acquiring behind the holder").isNotDone();
		assertThat(condition.lock().queueLength()).isOne();
		condition.release();
		assertThat(wait).isCompletedWithValue(false);
		assertThat(condition.isLocked()).isTrue();
		condition.release();
		assertThat(this.time.pending()).isZero();
	}

	@Test
	void conditionWaitSignalledBeforeItsDeadlineCompletesWithTrueAndTakesItsTaskOff() {
		AsyncCondition condition = new InMemoryCondition("timed", this.time);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Boolean> wait = condition.await(TIMEOUT);
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		condition.release();
		assertThat(wait).isCompletedWithValue(true);
		assertThat(this.time.pending()).isZero();
		this.time.advance(TIMEOUT);
		assertThat(condition.isLocked()).isTrue();
		condition.release();
	}

	/** What every primitive gets unless told otherwise: real time, on the one daemon thread. */
	@Test
	void primitivesOfTheStaticFactoriesTimeOutOnTheSharedDaemonThread() {
		AsyncLock lock = AsyncLock.create("shared-timer");
		assertThat(lock.tryAcquire()).isTrue();
		Thread test = Thread.currentThread();
		String ranOn;
		int attempts = 0;
		do {
			// a wait that timed out before the continuation was added runs it here: try again
			ranOn = lock.acquire(Duration.ofMillis(50))
				.handle((v, ex) -> (Thread.currentThread() == test) ? null
						: Thread.currentThread().getName() + " " + Thread.currentThread().isDaemon())
				.join();
		}
		while (ranOn == null && ++attempts < 10);
		assertThat(ranOn).isEqualTo("lockstep-timeouts true");
		Future<?> task = TimeoutScheduler.shared().schedule(() -> {
		}, 1, TimeUnit.HOURS);
		assertThat(task.cancel(false)).isTrue();
	}

}
