package io.github.lockstep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The {@link PrimitiveProbe} contract, primitive by primitive, with a probe that logs every call:
 * which callers report a wait (only those that queue, or are refused at once), that each wait
 * ends exactly once, with the token its start returned and the outcome its future shows, before
 * the future's continuations run; which grants report a hold (locks, a condition's own lock,
 * {@code withPermit}); and what a probe swap does to waits and holds under way.
 *
 * <p>The log reads {@code wait+N} for a wait started with token {@code N}, {@code wait-N OUTCOME}
 * for its end, {@code hold+N} and {@code hold-N} likewise.
 */
class ProbeTests {

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	/** A timeout that is what a test is about. */
	private static final Duration SHORT = Duration.ofMillis(20);

	/** Runs the primitives' own timeouts when a test advances it; {@code orTimeout} and {@code get} run on real time. */
	private final ManualScheduler time = new ManualScheduler();

	// --- lock and semaphore: the waits PermitSync reports

	/** A lock or a semaphore, with no permit free, whose probe is set once its permits are taken. */
	enum Kind {

		LOCK {
			@Override
			Permits exhausted(PrimitiveProbe probe, TimeoutScheduler scheduler) {
				AsyncLock lock = new InMemoryLock("probe-lock", scheduler);
				assertThat(lock.tryAcquire()).isTrue();
				((Instrumented) lock).probe(probe);
				return new Permits(lock::acquire, lock::acquire, lock::tryAcquire, lock::release, lock::queueLength,
						(Instrumented) lock);
			}
		},

		SEMAPHORE {
			@Override
			Permits exhausted(PrimitiveProbe probe, TimeoutScheduler scheduler) {
				AsyncSemaphore semaphore = new InMemorySemaphore("probe-semaphore", 0, false, scheduler);
				((Instrumented) semaphore).probe(probe);
				return new Permits(semaphore::acquire, semaphore::acquire, semaphore::tryAcquire, semaphore::release,
						semaphore::queueLength, (Instrumented) semaphore);
			}
		};

		abstract Permits exhausted(PrimitiveProbe probe, TimeoutScheduler scheduler);

	}

	/** What a lock and a semaphore share. */
	record Permits(Supplier<CompletableFuture<Void>> acquirer,
			Function<Duration, CompletableFuture<Void>> timedAcquirer,
			BooleanSupplier trier, Runnable releaser, IntSupplier queue,
			Instrumented instrumented) {

		CompletableFuture<Void> acquire() {
			return this.acquirer.get();
		}

		CompletableFuture<Void> acquire(Duration timeout) {
			return this.timedAcquirer.apply(timeout);
		}

		boolean tryAcquire() {
			return this.trier.getAsBoolean();
		}

		void release() {
			this.releaser.run();
		}

		int queueLength() {
			return this.queue.getAsInt();
		}

	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void permitTakenAtOnceReportsNoWait(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		permits.release();
		assertThat(permits.acquire()).isCompleted();
		permits.release();
		assertThat(permits.tryAcquire()).isTrue();
		permits.release();
		assertThat(permits.acquire(SHORT)).isCompleted();
		permits.release();
		assertThat(permits.acquire(Duration.ZERO)).as("a zero timeout with a permit free").isCompleted();
		permits.release();
		assertThat(permits.tryAcquire()).isTrue();
		assertThat(permits.tryAcquire()).as("tryAcquire that fails does not wait").isFalse();
		assertThat(probe.waits()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void queuedWaitGrantedByAReleaseEndsAcquiredBeforeItsContinuationsRun(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		assertThat(probe.waits()).containsExactly("wait+1");
		permits.release();
		assertThat(waiter).isCompleted();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 ACQUIRED");
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 ACQUIRED"));
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void queuedWaitsAreReportedInTheOrderTheyAreHandedOff(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> first = permits.acquire();
		CompletableFuture<Void> second = permits.acquire(Duration.ofMinutes(1));
		permits.release();
		assertThat(first).isCompleted();
		assertThat(second).isNotDone();
		permits.release();
		assertThat(second).isCompleted();
		assertThat(probe.waits()).containsExactly("wait+1", "wait+2", "wait-1 ACQUIRED", "wait-2 ACQUIRED");
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void cancelledWaitEndsCancelledBeforeItsContinuationsRun(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 CANCELLED");
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 CANCELLED"));
		assertThat(waiter.cancel(true)).as("second cancel").isFalse();
		permits.release();
		assertThat(permits.queueLength()).isZero();
		assertThat(probe.waits()).as("nothing more after a second cancel and a release")
			.containsExactly("wait+1", "wait-1 CANCELLED");
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void timedWaitThatRunsOutEndsTimedOut(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire(SHORT);
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		this.time.advance(SHORT.minusNanos(1));
		assertThat(waiter).isNotDone();
		assertThat(probe.waits()).containsExactly("wait+1");
		this.time.advance(Duration.ofNanos(1));
		assertThat(waiter).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 TIMEOUT");
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 TIMEOUT"));
		assertThat(permits.queueLength()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void waitEndedByOrTimeoutEndsTimedOut(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire().orTimeout(SHORT.toMillis(), TimeUnit.MILLISECONDS);
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		assertThat(waiter).failsWithin(DEADLINE).withThrowableThat().withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 TIMEOUT");
		assertThat(seen).succeedsWithin(DEADLINE).isEqualTo(List.of("wait+1", "wait-1 TIMEOUT"));
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void waitEndedByCompleteExceptionallyEndsCancelled(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		assertThat(waiter.completeExceptionally(new IllegalStateException("caller gave up"))).isTrue();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 CANCELLED");
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 CANCELLED"));
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void joinInterruptedWhileQueuedEndsTheWaitCancelled(Kind kind) throws InterruptedException {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		Throwable thrown = interruptWhileBlocked(waiter::join);
		assertThat(thrown).isInstanceOf(CancellationException.class);
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 CANCELLED");
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 CANCELLED"));
	}

	/** The caller's own blocking timeout cancels the wait: the future shows a cancel, and so does the probe. */
	@ParameterizedTest
	@EnumSource(Kind.class)
	void timedGetThatRunsOutEndsTheWaitCancelled(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> waiter.get(SHORT.toMillis(), TimeUnit.MILLISECONDS));
		assertThat(waiter).isCancelled();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 CANCELLED");
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void zeroOrNegativeTimeoutWithNoPermitFreeIsAWaitThatStartsAndEndsTimedOut(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> refused = permits.acquire(Duration.ZERO);
		assertThat(refused).isCompletedExceptionally();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 TIMEOUT");
		assertThat(permits.acquire(Duration.ofMillis(-5))).isCompletedExceptionally();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 TIMEOUT", "wait+2", "wait-2 TIMEOUT");
		assertThat(permits.queueLength()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void endingAWaitWhoseGrantWonReportsNothingMore(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire(Duration.ofMinutes(1));
		permits.release();
		assertThat(waiter).isCompleted();
		assertThat(waiter.cancel(false)).isFalse();
		assertThat(waiter.completeExceptionally(new TimeoutException())).isFalse();
		assertThat(waiter.orTimeout(0, TimeUnit.NANOSECONDS)).isCompleted();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	/**
	 * The grant is decided but not yet settled (the release runs inside a continuation that
	 * Lockstep runs, which defers the completion) when the caller cancels: the cancel settles the
	 * grant itself, and the wait ends once, {@code ACQUIRED}.
	 */
	@ParameterizedTest
	@EnumSource(Kind.class)
	void cancelRacingADecidedGrantEndsTheWaitAcquiredOnce(Kind kind) {
		RecordingProbe probe = new RecordingProbe();
		Permits permits = kind.exhausted(probe, this.time);
		CompletableFuture<Void> waiter = permits.acquire();
		AsyncEvent go = AsyncEvent.create("go");
		AtomicBoolean cancelled = new AtomicBoolean(true);
		CompletableFuture<Void> racer = go.await().thenRun(() -> {
			permits.release();
			cancelled.set(waiter.cancel(false));
		});
		go.set();
		assertThat(racer).isCompleted();
		assertThat(cancelled).as("cancel() after the grant was decided").isFalse();
		assertThat(waiter).isCompleted();
		assertThat(probe.waits()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	// --- lock holds

	@Test
	void lockReportsAHoldForEveryGrantAndItsEndForEveryRelease() {
		RecordingProbe probe = new RecordingProbe();
		AsyncLock lock = AsyncLock.create("probe-lock");
		((Instrumented) lock).probe(probe);
		assertThat(lock.tryAcquire()).isTrue();
		lock.release();
		assertThat(lock.acquire()).isCompleted();
		lock.release();
		assertThat(lock.acquire(SHORT)).isCompleted();
		lock.release();
		assertThat(lock.withLock(() -> CompletableFuture.completedFuture("done"))).isCompletedWithValue("done");
		assertThat(probe.log()).containsExactly("hold+1", "hold-1", "hold+2", "hold-2", "hold+3", "hold-3", "hold+4",
				"hold-4");
	}

	@Test
	void handOffEndsTheHoldAndStartsTheNextBeforeTheNextHoldersContinuationsRun() {
		RecordingProbe probe = new RecordingProbe();
		AsyncLock lock = AsyncLock.create("probe-lock");
		((Instrumented) lock).probe(probe);
		assertThat(lock.acquire()).isCompleted();
		CompletableFuture<Void> next = lock.acquire();
		CompletableFuture<List<String>> seen = probe.logSeenBy(next);
		lock.release();
		assertThat(next).isCompleted();
		// the released hold ends before the next holder runs: its time does not include theirs
		assertThat(seen).isCompletedWithValue(List.of("hold+1", "wait+2", "hold+3", "hold-1", "wait-2 ACQUIRED"));
		lock.release();
		assertThat(probe.log()).containsExactly("hold+1", "wait+2", "hold+3", "hold-1", "wait-2 ACQUIRED", "hold-3");
		probe.assertPaired();
	}

	@Test
	void aNullProbeIsRefused() {
		List<AsyncPrimitive> primitives = List.of(AsyncLock.create(), AsyncSemaphore.create(1), AsyncEvent.create(),
				AsyncCondition.create(), AsyncBarrier.create(2));
		assertThat(primitives).allSatisfy((primitive) -> {
			assertThatNullPointerException().isThrownBy(() -> ((Instrumented) primitive).probe(null));
			assertThat(((Instrumented) primitive).probe()).isSameAs(PrimitiveProbe.NONE);
		});
	}

	@Test
	void releaseOfALockNotHeldThrowsAndEndsNoHold() {
		RecordingProbe probe = new RecordingProbe();
		AsyncLock lock = AsyncLock.create("probe-lock");
		((Instrumented) lock).probe(probe);
		assertThatIllegalStateException().isThrownBy(lock::release);
		assertThat(probe.log()).isEmpty();
		assertThat(lock.tryAcquire()).isTrue();
		lock.release();
		assertThatIllegalStateException().isThrownBy(lock::release);
		assertThat(probe.log()).containsExactly("hold+1", "hold-1");
	}

	@Test
	void lockWaitThatGivesUpStartsNoHold() {
		RecordingProbe probe = new RecordingProbe();
		AsyncLock lock = new InMemoryLock("probe-lock", this.time);
		((Instrumented) lock).probe(probe);
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> cancelled = lock.acquire();
		CompletableFuture<Void> timedOut = lock.acquire(SHORT);
		assertThat(cancelled.cancel(false)).isTrue();
		this.time.advance(SHORT);
		assertThat(timedOut).isCompletedExceptionally();
		lock.release();
		assertThat(probe.log()).containsExactly("hold+1", "wait+2", "wait+3", "wait-2 CANCELLED", "wait-3 TIMEOUT",
				"hold-1");
	}

	// --- semaphore holds: only withPermit knows the pair

	@Test
	void semaphoreReportsNoHoldForABareAcquireAndRelease() {
		RecordingProbe probe = new RecordingProbe();
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 1);
		((Instrumented) semaphore).probe(probe);
		assertThat(semaphore.acquire()).isCompleted();
		CompletableFuture<Void> queued = semaphore.acquire();
		semaphore.release();
		assertThat(queued).isCompleted();
		semaphore.release();
		assertThat(semaphore.tryAcquire()).isTrue();
		semaphore.release();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	@Test
	void withPermitReportsOneHoldThatEndsWhenTheActionsStageDoes() {
		RecordingProbe probe = new RecordingProbe();
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 1);
		((Instrumented) semaphore).probe(probe);
		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<String> result = semaphore.withPermit(() -> stage);
		assertThat(probe.log()).containsExactly("hold+1");
		CompletableFuture<List<String>> seen = probe.logSeenBy(result);
		stage.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(seen).as("the hold ends before the result completes")
			.isCompletedWithValue(List.of("hold+1", "hold-1"));
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Test
	void withPermitReportsItsHoldWhenTheActionThrowsOrItsStageFails() {
		RecordingProbe probe = new RecordingProbe();
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 1);
		((Instrumented) semaphore).probe(probe);
		CompletableFuture<Object> thrown = semaphore.withPermit(() -> {
			throw new IllegalStateException("boom");
		});
		assertThat(thrown).isCompletedExceptionally();
		CompletableFuture<Object> failed = semaphore
			.withPermit(() -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
		assertThat(failed).isCompletedExceptionally();
		assertThat(probe.log()).containsExactly("hold+1", "hold-1", "hold+2", "hold-2");
		assertThat(semaphore.availablePermits()).isOne();
	}

	@Test
	void withPermitThatQueuesReportsItsWaitThenItsHold() {
		RecordingProbe probe = new RecordingProbe();
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 1);
		((Instrumented) semaphore).probe(probe);
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<String> stage = new CompletableFuture<>();
		CompletableFuture<String> result = semaphore.withPermit(() -> stage);
		assertThat(probe.log()).containsExactly("wait+1");
		semaphore.release();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED", "hold+2");
		stage.complete("done");
		assertThat(result).isCompletedWithValue("done");
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED", "hold+2", "hold-2");
	}

	@Test
	void withPermitWhoseResultWasCancelledWhileItsGrantWasUnderWayHandsThePermitBackWithoutAHold() {
		RecordingProbe probe = new RecordingProbe();
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 1);
		((Instrumented) semaphore).probe(probe);
		assertThat(semaphore.tryAcquire()).isTrue();
		AtomicBoolean ran = new AtomicBoolean();
		CompletableFuture<String> result = semaphore.withPermit(() -> {
			ran.set(true);
			return CompletableFuture.completedFuture("ran");
		});
		AsyncEvent go = AsyncEvent.create("go");
		CompletableFuture<Void> racer = go.await().thenRun(() -> {
			// the grant is decided here, but settled only after this continuation returns
			semaphore.release();
			result.cancel(false);
		});
		go.set();
		assertThat(racer).isCompleted();
		assertThat(result).isCancelled();
		assertThat(ran).as("action ran").isFalse();
		assertThat(semaphore.availablePermits()).as("permit handed back").isOne();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	// --- event

	@Test
	void awaitOnASetEventReportsNoWait() {
		RecordingProbe probe = new RecordingProbe();
		AsyncEvent event = AsyncEvent.create("probe-event");
		((Instrumented) event).probe(probe);
		event.set();
		assertThat(event.await()).isCompleted();
		assertThat(event.await(SHORT)).isCompleted();
		assertThat(event.await(Duration.ZERO)).isCompleted();
		assertThat(probe.log()).isEmpty();
	}

	@Test
	void setEndsEveryQueuedWaitAcquiredBeforeItsContinuationsRun() {
		RecordingProbe probe = new RecordingProbe();
		AsyncEvent event = AsyncEvent.create("probe-event");
		((Instrumented) event).probe(probe);
		CompletableFuture<Void> first = event.await();
		CompletableFuture<Void> second = event.await(Duration.ofMinutes(1));
		CompletableFuture<List<String>> seenByFirst = probe.logSeenBy(first);
		CompletableFuture<List<String>> seenBySecond = probe.logSeenBy(second);
		assertThat(probe.log()).containsExactly("wait+1", "wait+2");
		event.set();
		assertThat(probe.log()).containsExactly("wait+1", "wait+2", "wait-1 ACQUIRED", "wait-2 ACQUIRED");
		assertThat(seenByFirst.join()).contains("wait-1 ACQUIRED");
		assertThat(seenBySecond.join()).contains("wait-2 ACQUIRED");
		event.set();
		assertThat(probe.log()).hasSize(4);
	}

	@Test
	void eventWaitsThatGiveUpEndWithTheirOutcome() {
		RecordingProbe probe = new RecordingProbe();
		AsyncEvent event = new InMemoryEvent("probe-event", this.time);
		((Instrumented) event).probe(probe);
		CompletableFuture<Void> cancelled = event.await();
		assertThat(cancelled.cancel(false)).isTrue();
		CompletableFuture<Void> timedOut = event.await(SHORT);
		this.time.advance(SHORT);
		assertThat(timedOut).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(event.await(Duration.ZERO)).isCompletedExceptionally();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 CANCELLED", "wait+2", "wait-2 TIMEOUT", "wait+3",
				"wait-3 TIMEOUT");
		assertThat(event.queueLength()).isZero();
	}

	// --- barrier

	@Test
	void tripEndsTheWaitingArrivalsAcquiredAndReportsNothingForTheTrippingOne() {
		RecordingProbe probe = new RecordingProbe();
		AsyncBarrier barrier = AsyncBarrier.create("probe-barrier", 3);
		((Instrumented) barrier).probe(probe);
		CompletableFuture<Integer> first = barrier.await();
		CompletableFuture<Integer> second = barrier.await(Duration.ofMinutes(1));
		CompletableFuture<List<String>> seen = probe.logSeenBy(second);
		assertThat(probe.log()).containsExactly("wait+1", "wait+2");
		CompletableFuture<Integer> last = barrier.await();
		assertThat(last).isCompletedWithValue(2);
		assertThat(first).isCompletedWithValue(0);
		assertThat(second).isCompletedWithValue(1);
		assertThat(probe.log()).containsExactly("wait+1", "wait+2", "wait-1 ACQUIRED", "wait-2 ACQUIRED");
		assertThat(seen.join()).contains("wait-2 ACQUIRED");
	}

	@Test
	void trippingArrivalWithAZeroTimeoutIsNotAWait() {
		RecordingProbe probe = new RecordingProbe();
		AsyncBarrier barrier = AsyncBarrier.create("probe-barrier", 2);
		((Instrumented) barrier).probe(probe);
		CompletableFuture<Integer> first = barrier.await();
		assertThat(barrier.await(Duration.ZERO)).isCompletedWithValue(1);
		assertThat(first).isCompletedWithValue(0);
		AsyncBarrier alone = AsyncBarrier.create("alone", 1);
		((Instrumented) alone).probe(probe);
		assertThat(alone.await()).isCompletedWithValue(0);
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	@Test
	void abortEndsWaitingArrivalsBrokenAndLaterArrivalsAreBrokenWaitsAtOnce() {
		RecordingProbe probe = new RecordingProbe();
		AsyncBarrier barrier = AsyncBarrier.create("probe-barrier", 3);
		((Instrumented) barrier).probe(probe);
		CompletableFuture<Integer> waiting = barrier.await();
		CompletableFuture<List<String>> seen = probe.logSeenBy(waiting);
		barrier.abort();
		assertThat(waiting).isCompletedExceptionally();
		assertThat(seen).isCompletedWithValue(List.of("wait+1", "wait-1 BROKEN"));
		assertThat(barrier.await()).isCompletedExceptionally();
		assertThat(barrier.await(Duration.ZERO)).as("broken wins over a zero timeout").isCompletedExceptionally();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 BROKEN", "wait+2", "wait-2 BROKEN", "wait+3",
				"wait-3 BROKEN");
	}

	@Test
	void resetEndsWaitingArrivalsBrokenAndTheNextRoundWaitsAsUsual() {
		RecordingProbe probe = new RecordingProbe();
		AsyncBarrier barrier = AsyncBarrier.create("probe-barrier", 2);
		((Instrumented) barrier).probe(probe);
		CompletableFuture<Integer> waiting = barrier.await();
		barrier.reset();
		assertThat(waiting).failsWithin(DEADLINE)
			.withThrowableThat()
			.withCauseInstanceOf(BarrierBrokenException.class);
		CompletableFuture<Integer> next = barrier.await();
		assertThat(barrier.await()).isCompletedWithValue(1);
		assertThat(next).isCompletedWithValue(0);
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 BROKEN", "wait+2", "wait-2 ACQUIRED");
	}

	@Test
	void barrierArrivalsThatGiveUpEndWithTheirOutcome() {
		RecordingProbe probe = new RecordingProbe();
		AsyncBarrier barrier = new InMemoryBarrier("probe-barrier", 3, this.time);
		((Instrumented) barrier).probe(probe);
		CompletableFuture<Integer> cancelled = barrier.await();
		assertThat(cancelled.cancel(false)).isTrue();
		CompletableFuture<Integer> timedOut = barrier.await(SHORT);
		this.time.advance(SHORT);
		assertThat(timedOut).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.withCauseInstanceOf(AcquireTimeoutException.class);
		assertThat(barrier.await(Duration.ZERO)).isCompletedExceptionally();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 CANCELLED", "wait+2", "wait-2 TIMEOUT", "wait+3",
				"wait-3 TIMEOUT");
		assertThat(barrier.numberWaiting()).isZero();
	}

	// --- condition

	/**
	 * A condition's own lock reports to the condition's probe: the waiter's hold ends when it
	 * parks, the signaller's hold, the re-acquisition that queues behind it (a wait of its own),
	 * the hand-off (the next hold starts and the signaller's ends before the next holder's
	 * continuations run), and only then the end of the condition wait, which completes holding
	 * the lock.
	 */
	@Test
	void conditionWithItsOwnLockReportsTheLocksHoldsAndReacquisitionToo() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition");
		((Instrumented) condition).probe(probe);
		assertThat(((Instrumented) condition.lock()).probe()).isSameAs(probe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> waiter = condition.await();
		CompletableFuture<List<String>> seen = probe.logSeenBy(waiter);
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		assertThat(waiter).isNotDone();
		condition.release();
		assertThat(waiter).isCompleted();
		assertThat(seen).isCompletedWithValue(
				List.of("hold+1", "wait+2", "hold-1", "hold+3", "wait+4", "hold+5", "hold-3", "wait-4 ACQUIRED",
						"wait-2 ACQUIRED"));
		condition.release();
		assertThat(probe.log()).containsExactly("hold+1", "wait+2", "hold-1", "hold+3", "wait+4", "hold+5", "hold-3",
				"wait-4 ACQUIRED", "wait-2 ACQUIRED", "hold-5");
		probe.assertPaired();
	}

	@Test
	void conditionOverASharedLockReportsOnlyTheWaitsForASignal() {
		RecordingProbe conditionProbe = new RecordingProbe();
		RecordingProbe lockProbe = new RecordingProbe(1000);
		AsyncLock lock = AsyncLock.create("probe-shared");
		((Instrumented) lock).probe(lockProbe);
		AsyncCondition condition = AsyncCondition.create("probe-condition", lock);
		((Instrumented) condition).probe(conditionProbe);
		assertThat(((Instrumented) lock).probe()).as("the shared lock keeps its probe").isSameAs(lockProbe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> waiter = condition.await();
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		condition.release();
		assertThat(waiter).isCompleted();
		condition.release();
		assertThat(conditionProbe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
		assertThat(lockProbe.log()).containsExactly("hold+1001", "hold-1001", "hold+1002", "wait+1003", "hold+1004",
				"hold-1002", "wait-1003 ACQUIRED", "hold-1004");
	}

	@Test
	void conditionWaitThatTimesOutEndsTimedOutAndCompletesWithFalseHoldingTheLock() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = new InMemoryCondition("probe-condition", this.time);
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Boolean> waiter = condition.await(SHORT);
		CompletableFuture<List<String>> seen = probe.waitsSeenBy(waiter);
		this.time.advance(SHORT);
		assertThat(waiter).isCompletedWithValue(false);
		assertThat(condition.isLocked()).isTrue();
		assertThat(seen).isCompletedWithValue(List.of("wait+2", "wait-2 TIMEOUT"));
		condition.release();
		assertThat(probe.log()).containsExactly("hold+1", "wait+2", "hold-1", "hold+3", "wait-2 TIMEOUT", "hold-3");
	}

	@Test
	void conditionWaitWithAZeroTimeoutStartsAndEndsTimedOutAtOnce() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition", AsyncLock.create("probe-shared"));
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		assertThat(condition.await(Duration.ZERO)).isCompletedWithValue(false);
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 TIMEOUT");
		condition.release();
	}

	@Test
	void signalledTimedConditionWaitEndsAcquiredWithTrue() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition", AsyncLock.create("probe-shared"));
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Boolean> waiter = condition.await(Duration.ofMinutes(1));
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		condition.release();
		assertThat(waiter).isCompletedWithValue(true);
		condition.release();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	@Test
	void cancelledConditionWaitEndsCancelledOnceItHoldsTheLockAgain() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition", AsyncLock.create("probe-shared"));
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> waiter = condition.await();
		assertThat(condition.acquire()).isCompleted();
		assertThat(waiter.cancel(false)).isTrue();
		assertThat(waiter).as("re-acquiring behind the holder").isNotDone();
		assertThat(probe.log()).containsExactly("wait+1");
		condition.release();
		assertThat(waiter).isCompletedExceptionally();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 CANCELLED");
		assertThat(condition.isLocked()).isTrue();
		condition.release();
	}

	/** A wait cancelled after its signal still ends cancelled, and passes its signal on to the next. */
	@Test
	void conditionWaitCancelledAfterItsSignalEndsCancelledAndTheNextEndsAcquired() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition", AsyncLock.create("probe-shared"));
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> first = condition.await();
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> second = condition.await();
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		assertThat(first.cancel(false)).isTrue();
		condition.release();
		assertThat(first).isCompletedExceptionally();
		condition.release();
		assertThat(second).isCompleted();
		condition.release();
		assertThat(probe.log()).containsExactly("wait+1", "wait+2", "wait-1 CANCELLED", "wait-2 ACQUIRED");
	}

	@Test
	void awaitUntilReportsOneWaitHoweverOftenThePredicateIsChecked() {
		RecordingProbe probe = new RecordingProbe();
		AsyncCondition condition = AsyncCondition.create("probe-condition", AsyncLock.create("probe-shared"));
		((Instrumented) condition).probe(probe);
		int[] value = { 0 };
		assertThat(condition.acquire()).isCompleted();
		assertThat(condition.awaitUntil(() -> true)).as("predicate true at once").isCompleted();
		CompletableFuture<Void> waiter = condition.awaitUntil(() -> value[0] >= 2);
		for (int i = 0; i < 2; i++) {
			assertThat(condition.acquire()).isCompleted();
			value[0]++;
			condition.signalAll();
			condition.release();
		}
		assertThat(waiter).isCompleted();
		condition.release();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 ACQUIRED");
	}

	/**
	 * A foreign lock refuses the release with which a wait parks: {@code await} throws, and the
	 * wait it had already reported as started must be reported as ended, not left open.
	 */
	@Test
	void awaitWhoseForeignLockRefusesTheReleaseLeavesNoWaitOpen() {
		RecordingProbe probe = new RecordingProbe();
		RefusingLock lock = new RefusingLock();
		AsyncCondition condition = AsyncCondition.create("probe-condition", lock);
		((Instrumented) condition).probe(probe);
		assertThat(condition.acquire()).isCompleted();
		lock.refuseRelease = true;
		assertThatIllegalStateException().isThrownBy(condition::await).withMessage("lock store down");
		assertThat(condition.queueLength()).isZero();
		assertThat(probe.log()).containsExactly("wait+1", "wait-1 CANCELLED");
		lock.refuseRelease = false;
		condition.release();
	}

	/** A lock from another backend whose release can fail. */
	private static final class RefusingLock extends ForwardingLock {

		volatile boolean refuseRelease;

		RefusingLock() {
			super("foreign");
		}

		@Override
		public void release() {
			if (this.refuseRelease) {
				throw new IllegalStateException("lock store down");
			}
			super.release();
		}

	}

	// --- setting the probe

	@Test
	void everyPrimitiveStartsWithTheEmptyProbeAndKeepsTheOneSet() {
		List<AsyncPrimitive> primitives = List.of(AsyncLock.create("l"), AsyncSemaphore.create("s", 1),
				AsyncSemaphore.bounded("b", 1), AsyncEvent.create("e"), AsyncCondition.create("c"),
				AsyncCondition.create("cs", AsyncLock.create("shared")), AsyncBarrier.create("r", 2));
		RecordingProbe probe = new RecordingProbe();
		for (AsyncPrimitive primitive : primitives) {
			assertThat(primitive).isInstanceOf(Instrumented.class);
			Instrumented instrumented = (Instrumented) primitive;
			assertThat(instrumented.probe()).as(primitive.name()).isSameAs(PrimitiveProbe.NONE);
			instrumented.probe(probe);
			assertThat(instrumented.probe()).as(primitive.name()).isSameAs(probe);
			instrumented.probe(PrimitiveProbe.NONE);
			assertThat(instrumented.probe()).as(primitive.name()).isSameAs(PrimitiveProbe.NONE);
		}
		assertThat(probe.log()).isEmpty();
	}

	@Test
	void emptyProbeStopsReporting() {
		RecordingProbe probe = new RecordingProbe();
		AsyncLock lock = AsyncLock.create("l");
		AsyncSemaphore semaphore = AsyncSemaphore.create("s", 1);
		AsyncEvent event = AsyncEvent.create("e");
		AsyncCondition condition = AsyncCondition.create("c");
		AsyncBarrier barrier = AsyncBarrier.create("r", 2);
		List<Instrumented> all = List.of((Instrumented) lock, (Instrumented) semaphore, (Instrumented) event,
				(Instrumented) condition, (Instrumented) barrier);
		all.forEach((instrumented) -> instrumented.probe(probe));
		all.forEach((instrumented) -> instrumented.probe(PrimitiveProbe.NONE));
		assertThat(((Instrumented) condition.lock()).probe()).as("the condition's own lock")
			.isSameAs(PrimitiveProbe.NONE);

		assertThat(lock.acquire()).isCompleted();
		CompletableFuture<Void> lockWait = lock.acquire();
		lock.release();
		lock.release();
		assertThat(lock.acquire(Duration.ZERO)).isCompleted();
		assertThat(lock.acquire(Duration.ZERO)).isCompletedExceptionally();
		lock.release();
		assertThat(semaphore.withPermit(() -> CompletableFuture.completedFuture("x"))).isCompleted();
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<Void> semaphoreWait = semaphore.acquire();
		semaphore.release();
		semaphore.release();
		CompletableFuture<Void> eventWait = event.await();
		event.set();
		assertThat(condition.acquire()).isCompleted();
		CompletableFuture<Void> conditionWait = condition.await();
		assertThat(condition.acquire()).isCompleted();
		condition.signal();
		condition.release();
		condition.release();
		CompletableFuture<Integer> barrierWait = barrier.await();
		assertThat(barrier.await()).isCompleted();
		barrier.abort();
		assertThat(barrier.await()).isCompletedExceptionally();

		assertThat(List.of(lockWait, semaphoreWait, eventWait, conditionWait, barrierWait))
			.allSatisfy((wait) -> assertThat(wait).isCompleted());
		assertThat(probe.log()).isEmpty();
	}

	/**
	 * What a swap does (as {@link Instrumented#probe(PrimitiveProbe)} says): a wait or hold that
	 * started on the old probe ends on the new one, which is handed the old probe's token; the
	 * old probe is left with starts that never end.
	 */
	@Test
	void waitAndHoldUnderWayWhenTheProbeIsSwappedEndOnTheNewProbeWithTheOldToken() {
		RecordingProbe before = new RecordingProbe();
		RecordingProbe after = new RecordingProbe(1000);
		AsyncLock lock = AsyncLock.create("probe-lock");
		((Instrumented) lock).probe(before);
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> waiter = lock.acquire();
		((Instrumented) lock).probe(after);
		lock.release();
		assertThat(waiter).isCompleted();
		lock.release();
		assertThat(before.log()).containsExactly("hold+1", "wait+2");
		assertThat(after.log()).containsExactly("hold+1001", "hold-1", "wait-2 ACQUIRED", "hold-1001");
	}

	@Test
	void swapToTheEmptyProbeWhileAWaitIsQueuedLeavesItOpenOnTheOldProbe() {
		RecordingProbe probe = new RecordingProbe();
		AsyncEvent event = AsyncEvent.create("probe-event");
		((Instrumented) event).probe(probe);
		CompletableFuture<Void> waiter = event.await();
		((Instrumented) event).probe(PrimitiveProbe.NONE);
		event.set();
		assertThat(waiter).isCompleted();
		assertThat(probe.log()).containsExactly("wait+1");
	}

	/** As for a lock's hold: a {@code withPermit} hold under way ends on the probe set since. */
	@Test
	void withPermitHoldUnderWayWhenTheProbeIsSwappedEndsOnTheNewProbe() {
		RecordingProbe before = new RecordingProbe();
		RecordingProbe after = new RecordingProbe(1000);
		AsyncSemaphore semaphore = AsyncSemaphore.create("probe-semaphore", 2);
		((Instrumented) semaphore).probe(before);
		CompletableFuture<String> firstStage = new CompletableFuture<>();
		CompletableFuture<String> first = semaphore.withPermit(() -> firstStage);
		CompletableFuture<String> secondStage = new CompletableFuture<>();
		CompletableFuture<String> second = semaphore.withPermit(() -> secondStage);
		((Instrumented) semaphore).probe(after);
		firstStage.complete("first");
		assertThat(first).isCompleted();
		((Instrumented) semaphore).probe(PrimitiveProbe.NONE);
		secondStage.complete("second");
		assertThat(second).isCompleted();
		assertThat(before.log()).containsExactly("hold+1", "hold+2");
		assertThat(after.log()).containsExactly("hold-1");
	}

	// --- support

	/** Runs {@code wait} on a new thread, interrupts it once it blocks, and returns what it threw. */
	private static Throwable interruptWhileBlocked(Callable<?> wait) throws InterruptedException {
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread blocked = new Thread(() -> {
			try {
				wait.call();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		}, "probe-blocked");
		blocked.start();
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (blocked.getState() != Thread.State.WAITING && blocked.getState() != Thread.State.TIMED_WAITING) {
			assertThat(System.nanoTime() - deadline).as("%s blocked", blocked).isNegative();
			Thread.yield();
		}
		blocked.interrupt();
		blocked.join(DEADLINE.toMillis());
		assertThat(blocked.isAlive()).isFalse();
		return thrown.get();
	}

	/** Logs every call, with tokens unique per probe (from {@code base + 1} on). */
	static final class RecordingProbe implements PrimitiveProbe {

		private final AtomicLong tokens;

		private final Queue<String> log = new ConcurrentLinkedQueue<>();

		RecordingProbe() {
			this(0);
		}

		RecordingProbe(long base) {
			this.tokens = new AtomicLong(base);
		}

		@Override
		public long waitStarted() {
			long token = this.tokens.incrementAndGet();
			this.log.add("wait+" + token);
			return token;
		}

		@Override
		public void waitEnded(long started, WaitOutcome outcome) {
			this.log.add("wait-" + started + " " + outcome);
		}

		@Override
		public long holdStarted() {
			long token = this.tokens.incrementAndGet();
			this.log.add("hold+" + token);
			return token;
		}

		@Override
		public void holdEnded(long started) {
			this.log.add("hold-" + started);
		}

		List<String> log() {
			return List.copyOf(this.log);
		}

		List<String> waits() {
			return this.log.stream().filter((entry) -> entry.startsWith("wait")).toList();
		}

		/** What the log holds when {@code future}'s first continuation runs. */
		CompletableFuture<List<String>> logSeenBy(CompletableFuture<?> future) {
			CompletableFuture<List<String>> seen = new CompletableFuture<>();
			future.whenComplete((value, failure) -> seen.complete(log()));
			return seen;
		}

		/** The waits logged when {@code future}'s first continuation runs. */
		CompletableFuture<List<String>> waitsSeenBy(CompletableFuture<?> future) {
			CompletableFuture<List<String>> seen = new CompletableFuture<>();
			future.whenComplete((value, failure) -> seen.complete(waits()));
			return seen;
		}

		/** Every start ended exactly once, after it started, with its own token; every end had a start. */
		void assertPaired() {
			Map<String, Integer> open = new HashMap<>();
			List<String> problems = new ArrayList<>();
			for (String entry : this.log) {
				String key = entry.substring(0, 4) + entry.substring(5).split(" ")[0];
				if (entry.charAt(4) == '+') {
					if (open.put(key, 1) != null) {
						problems.add("started twice: " + entry);
					}
				}
				else if (open.remove(key) == null) {
					problems.add("ended without a start, or twice: " + entry);
				}
			}
			open.keySet().forEach((key) -> problems.add("never ended: " + key));
			assertThat(problems).as("pairing of %s", this.log).isEmpty();
		}

	}

}
