package io.github.lockstep;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics never change an outcome: a {@link PrimitiveProbe} that throws from one of its four
 * callbacks, on every primitive, through every way a wait starts and ends (queued, granted,
 * cancelled, timed out, refused at once, broken) and every hold. No waiter is lost, every permit
 * comes back, every future completes as it would without a probe, and the failure is logged once,
 * naming the primitive, on the logger {@code io.github.lockstep.PrimitiveProbe}.
 *
 * <p>Timeouts run on a {@link ManualScheduler}, so a timed-out wait is one the test times out.
 */
class ThrowingProbeTests {

	/** The callback the probe throws from. */
	enum Callback {

		WAIT_STARTED, WAIT_ENDED, HOLD_STARTED, HOLD_ENDED;

		boolean isHold() {
			return this == HOLD_STARTED || this == HOLD_ENDED;
		}

	}

	private final ManualScheduler time = new ManualScheduler();

	private ProbeFailureLog log;

	@BeforeEach
	void captureTheProbesLog() {
		this.log = ProbeFailureLog.open();
	}

	@AfterEach
	void restoreTheProbesLog() {
		this.log.close();
	}

	@ParameterizedTest
	@EnumSource(Callback.class)
	void lockLosesNoWaiterAndNoPermitWhenItsProbeThrows(Callback callback) {
		ThrowingProbe probe = new ThrowingProbe(callback);
		AsyncLock lock = new InMemoryLock("throwing-lock", this.time);
		((Instrumented) lock).probe(probe);

		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> first = lock.acquire();
		CompletableFuture<Void> cancelled = lock.acquire();
		CompletableFuture<Void> timedOut = lock.acquire(Duration.ofSeconds(1));
		CompletableFuture<Void> last = lock.acquire(Duration.ofMinutes(1));
		assertTimedOut(lock.acquire(Duration.ZERO));
		assertThat(lock.queueLength()).isEqualTo(4);
		assertThat(cancelled.cancel(false)).isTrue();
		this.time.advance(Duration.ofSeconds(1));
		assertTimedOut(timedOut);
		assertThat(lock.queueLength()).isEqualTo(2);

		lock.release();
		assertThat(first).isCompleted();
		assertThat(lock.isLocked()).isTrue();
		assertThat(lock.queueLength()).isOne();
		lock.release();
		assertThat(last).isCompleted();
		lock.release();
		assertThat(lock.withLock(() -> CompletableFuture.completedFuture("done"))).isCompletedWithValue("done");

		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
		assertThat(cancelled).isCancelled();
		assertThat(this.time.pending()).as("timers left").isZero();
		assertLoggedOnce(probe, "Lock 'throwing-lock'");
	}

	@ParameterizedTest
	@EnumSource(Callback.class)
	void semaphoreLosesNoWaiterAndNoPermitWhenItsProbeThrows(Callback callback) {
		ThrowingProbe probe = new ThrowingProbe(callback);
		AsyncSemaphore semaphore = new InMemorySemaphore("throwing-semaphore", 2, true, this.time);
		((Instrumented) semaphore).probe(probe);

		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<String> held = semaphore.withPermit(() -> stage);
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<Void> first = semaphore.acquire();
		CompletableFuture<String> queuedAction = semaphore.withPermit(() -> CompletableFuture.completedFuture("queued"));
		CompletableFuture<Void> cancelled = semaphore.acquire();
		CompletableFuture<Void> timedOut = semaphore.acquire(Duration.ofSeconds(1));
		assertTimedOut(semaphore.acquire(Duration.ZERO));
		assertThat(semaphore.queueLength()).isEqualTo(4);
		assertThat(cancelled.cancel(false)).isTrue();
		this.time.advance(Duration.ofSeconds(1));
		assertTimedOut(timedOut);

		stage.complete("held");
		assertThat(held).isCompletedWithValue("held");
		assertThat(first).isCompleted();
		semaphore.release();
		assertThat(queuedAction).isCompletedWithValue("queued");
		semaphore.release();

		assertThat(semaphore.availablePermits()).as("permits back").isEqualTo(2);
		assertThat(semaphore.queueLength()).isZero();
		assertThat(this.time.pending()).as("timers left").isZero();
		assertLoggedOnce(probe, "Semaphore 'throwing-semaphore'");
	}

	@ParameterizedTest
	@EnumSource(Callback.class)
	void eventLosesNoWaiterWhenItsProbeThrows(Callback callback) {
		ThrowingProbe probe = new ThrowingProbe(callback);
		AsyncEvent event = new InMemoryEvent("throwing-event", this.time);
		((Instrumented) event).probe(probe);

		CompletableFuture<Void> first = event.await();
		CompletableFuture<Void> cancelled = event.await();
		CompletableFuture<Void> timedOut = event.await(Duration.ofSeconds(1));
		CompletableFuture<Void> last = event.await(Duration.ofMinutes(1));
		assertTimedOut(event.await(Duration.ZERO));
		assertThat(cancelled.cancel(false)).isTrue();
		this.time.advance(Duration.ofSeconds(1));
		assertTimedOut(timedOut);
		assertThat(event.queueLength()).isEqualTo(2);

		event.set();
		assertThat(first).isCompleted();
		assertThat(last).isCompleted();
		assertThat(event.queueLength()).isZero();
		assertThat(event.await()).isCompleted();
		assertThat(this.time.pending()).as("timers left").isZero();
		assertLoggedOnce(probe, "Event 'throwing-event'");
	}

	@ParameterizedTest
	@EnumSource(Callback.class)
	void barrierLosesNoArrivalWhenItsProbeThrows(Callback callback) {
		ThrowingProbe probe = new ThrowingProbe(callback);
		AsyncBarrier barrier = new InMemoryBarrier("throwing-barrier", 3, this.time);
		((Instrumented) barrier).probe(probe);

		CompletableFuture<Integer> timedOut = barrier.await(Duration.ofSeconds(1));
		assertTimedOut(barrier.await(Duration.ZERO));
		this.time.advance(Duration.ofSeconds(1));
		assertTimedOut(timedOut);
		CompletableFuture<Integer> first = barrier.await();
		CompletableFuture<Integer> second = barrier.await(Duration.ofMinutes(1));
		assertThat(barrier.await()).isCompletedWithValue(2);
		assertThat(first).isCompletedWithValue(0);
		assertThat(second).isCompletedWithValue(1);

		CompletableFuture<Integer> cancelled = barrier.await();
		CompletableFuture<Integer> broken = barrier.await();
		assertThat(cancelled.cancel(false)).isTrue();
		barrier.abort();
		assertThat(broken).isCompletedExceptionally();
		assertThat(barrier.await()).isCompletedExceptionally();
		assertThat(barrier.numberWaiting()).isZero();
		assertThat(this.time.pending()).as("timers left").isZero();
		assertLoggedOnce(probe, "Barrier 'throwing-barrier'");
	}

	/** A condition's own lock reports its holds to the condition's probe: one log for both. */
	@ParameterizedTest
	@EnumSource(Callback.class)
	void conditionLosesNoWaiterAndEndsEveryWaitHoldingTheLockWhenItsProbeThrows(Callback callback) {
		ThrowingProbe probe = new ThrowingProbe(callback);
		AsyncCondition condition = new InMemoryCondition("throwing-condition", this.time);
		((Instrumented) condition).probe(probe);

		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> signalled = condition.await();
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Boolean> timedOut = condition.await(Duration.ofSeconds(1));
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> cancelled = condition.await();
		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.queueLength()).isEqualTo(3);

		this.time.advance(Duration.ofSeconds(1));
		assertThat(timedOut).isCompletedWithValue(false);
		assertThat(cancelled.cancel(false)).isTrue();
		assertThat(cancelled).as("behind the timed-out wait, which holds the lock").isNotDone();
		condition.signal();
		condition.release();
		assertThat(cancelled).isCompletedExceptionally();
		condition.release();
		assertThat(signalled).isCompleted();
		condition.release();

		assertThat(condition.isLocked()).isFalse();
		assertThat(condition.queueLength()).isZero();
		assertThat(condition.lock().queueLength()).isZero();
		assertThat(this.time.pending()).as("timers left").isZero();
		assertLoggedOnce(probe, "Condition 'throwing-condition'");
	}

	@Test
	void probeSetAfterOneThatThrewIsLoggedAgainWhenItThrows() {
		AsyncLock lock = AsyncLock.create("throwing-twice");
		ThrowingProbe before = new ThrowingProbe(Callback.HOLD_STARTED);
		((Instrumented) lock).probe(before);
		for (int i = 0; i < 3; i++) {
			assertThat(lock.tryAcquire()).isTrue();
			lock.release();
		}
		ThrowingProbe after = new ThrowingProbe(Callback.HOLD_ENDED);
		((Instrumented) lock).probe(after);
		for (int i = 0; i < 3; i++) {
			assertThat(lock.tryAcquire()).isTrue();
			lock.release();
		}
		assertThat(before.thrown).hasValue(3);
		assertThat(after.thrown).hasValue(3);
		assertThat(this.log.records()).hasSize(2);
		assertThat(this.log.records().get(0).getThrown()).isSameAs(before.failure);
		assertThat(this.log.records().get(1).getThrown()).isSameAs(after.failure);
	}

	private static void assertTimedOut(CompletableFuture<?> wait) {
		assertThat(wait).isCompletedExceptionally();
		assertThat(wait.handle((value, failure) -> failure).join()).isInstanceOf(AcquireTimeoutException.class);
	}

	/** Logged once if the probe threw; holds are reported only by locks, conditions and withPermit. */
	private void assertLoggedOnce(ThrowingProbe probe, String primitive) {
		boolean reportsHolds = !primitive.startsWith("Event") && !primitive.startsWith("Barrier");
		if (probe.failing.isHold() && !reportsHolds) {
			assertThat(probe.thrown).as("a hold reported by %s", primitive).hasValue(0);
			assertThat(this.log.records()).isEmpty();
			return;
		}
		assertThat(probe.thrown.get()).as("calls that threw").isGreaterThan(1);
		assertThat(this.log.records()).singleElement().satisfies((record) -> {
			assertThat(record.getLevel()).isEqualTo(Level.WARNING);
			assertThat(record.getMessage()).startsWith(primitive + ": its probe")
				.contains(ThrowingProbe.class.getName())
				.contains(probe.method());
			assertThat(record.getThrown()).isSameAs(probe.failure);
		});
	}

	/** Throws from one callback, every time; counts the calls that threw. */
	static final class ThrowingProbe implements PrimitiveProbe {

		final Callback failing;

		final IllegalStateException failure = new IllegalStateException("metrics store down");

		final AtomicInteger thrown = new AtomicInteger();

		ThrowingProbe(Callback failing) {
			this.failing = failing;
		}

		String method() {
			return switch (this.failing) {
				case WAIT_STARTED -> "waitStarted";
				case WAIT_ENDED -> "waitEnded";
				case HOLD_STARTED -> "holdStarted";
				case HOLD_ENDED -> "holdEnded";
			};
		}

		@Override
		public long waitStarted() {
			throwIf(Callback.WAIT_STARTED);
			return 1;
		}

		@Override
		public void waitEnded(long started, WaitOutcome outcome) {
			throwIf(Callback.WAIT_ENDED);
		}

		@Override
		public long holdStarted() {
			throwIf(Callback.HOLD_STARTED);
			return 1;
		}

		@Override
		public void holdEnded(long started) {
			throwIf(Callback.HOLD_ENDED);
		}

		private void throwIf(Callback callback) {
			if (callback == this.failing) {
				this.thrown.incrementAndGet();
				throw this.failure;
			}
		}

	}

}
