package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static io.github.lockstep.autoconfigure.Gates.failureOf;
import static io.github.lockstep.autoconfigure.Gates.issueFromOneThread;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Annotated methods returning {@code CompletableFuture} or {@code CompletionStage}: the caller gets
 * a future at once, a waiting call holds no thread, and what a call holds is given back when the
 * method's own stage ends, however the call ends.
 */
@SpringBootTest(classes = { CallsApplication.class, StageCallsTests.StageService.class })
class StageCallsTests extends GatedCallsTests {

	@Autowired
	private StageService service;

	@Test
	void throttledStageCallsNeverExceedPermitsNorBlockTheCaller() {
		AsyncSemaphore semaphore = this.registry.semaphore("StageService.throttled").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS, this.service::throttled);

		this.gates.assertLimitHolds(calls, 5, semaphore::queueLength);
		assertThat(semaphore.availablePermits()).isEqualTo(5);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void guardedStageCallsRunOneAtATimeNorBlockTheCaller() {
		AsyncLock lock = this.registry.lock("StageService.guarded").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS,
				(call) -> this.service.guarded(call).toCompletableFuture());

		this.gates.assertLimitHolds(calls, 1, lock::queueLength);
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void failedStageGivesBackItsPermit() {
		AsyncSemaphore semaphore = this.registry.semaphore("stage-failing").orElseThrow();
		for (int i = 0; i < 3; i++) {
			assertThat(failureOf(this.service.failedStage())).isInstanceOf(IllegalStateException.class)
				.hasMessage("failed stage");
			assertThat(semaphore.availablePermits()).as("permits after failed stage %d", i).isEqualTo(2);
			assertThat(failureOf(this.service.throwing())).isInstanceOf(IllegalStateException.class)
				.hasMessage("thrown");
			assertThat(semaphore.availablePermits()).as("permits after throw %d", i).isEqualTo(2);
		}
		assertThat(this.gates.entered()).isEqualTo(6);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void stageCallThatTimesOutFailsNamingTheSemaphore() {
		AsyncSemaphore semaphore = this.registry.semaphore("stage-timeout").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();

		CompletableFuture<String> call = this.service.timingOut();

		assertThat(failureOf(call)).isInstanceOf(AcquireTimeoutException.class)
			.hasMessageContaining("'stage-timeout'")
			.hasMessageContaining("50ms");
		assertThat(this.gates.entered()).isZero();
		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(this.gates.entered()).as("the timed-out call never runs").isZero();
	}

	@Test
	void cancelOfWaitingStageCallFreesItsPlace() {
		AsyncSemaphore semaphore = this.registry.semaphore("stage-cancel").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<String> own = new CompletableFuture<>();
		CompletableFuture<String> call = this.service.own(own);
		assertThat(call).isNotDone();
		assertThat(semaphore.queueLength()).isOne();

		assertThat(call.cancel(true)).isTrue();

		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(this.gates.entered()).as("the cancelled call never runs").isZero();
		assertThat(own).isNotDone();
	}

	@Test
	void cancelOfAdmittedStageCallCancelsTheMethodsStage() {
		AsyncSemaphore semaphore = this.registry.semaphore("stage-cancel").orElseThrow();
		CompletableFuture<String> own = new CompletableFuture<>();
		CompletableFuture<String> call = this.service.own(own);
		assertThat(this.gates.entered()).isOne();
		assertThat(semaphore.availablePermits()).isZero();

		assertThat(call.cancel(true)).isTrue();

		assertThat(own).isCancelled();
		assertThat(failureOf(call)).isInstanceOf(CancellationException.class);
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void cancelledCallHoldsItsPermitUntilTheMethodsStageEnds() {
		AsyncSemaphore semaphore = this.registry.semaphore("stage-cancel").orElseThrow();
		CompletableFuture<String> own = new CompletableFuture<>();
		CompletableFuture<String> call = this.service.uncancellable(own).toCompletableFuture();
		CompletableFuture<String> next = this.service.own(new CompletableFuture<>());

		assertThat(call.cancel(true)).isTrue();

		assertThat(own).as("a minimal stage cannot be cancelled").isNotDone();
		assertThat(semaphore.availablePermits()).as("still running").isZero();
		assertThat(next).isNotDone();
		assertThat(this.gates.entered()).isOne();
		own.complete("late");
		awaitUntil(() -> this.gates.entered() == 2, "the next call runs once the stage ends");
		assertThat(next.cancel(true)).isTrue();
		// where the grant runs the method on another thread, it may be inside the method (entered)
		// but not yet back with its stage, which the interceptor then cancels as it returns
		awaitUntil(() -> semaphore.availablePermits() == 1, "the next call's permit back once its cancelled stage ends");
		assertThat(semaphore.queueLength()).isZero();
	}

	static class StageService extends GatedService {

		StageService(Gates gates) {
			super(gates);
		}

		@Throttled(permits = 5)
		public CompletableFuture<Integer> throttled(int call) {
			return this.gates.hold(call);
		}

		@Guarded
		public CompletionStage<Integer> guarded(int call) {
			return this.gates.hold(call);
		}

		@Throttled(value = "stage-failing", permits = 2)
		public CompletableFuture<String> failedStage() {
			this.gates.pass();
			return CompletableFuture.failedFuture(new IllegalStateException("failed stage"));
		}

		@Throttled(value = "stage-failing", permits = 2)
		public CompletableFuture<String> throwing() {
			this.gates.pass();
			throw new IllegalStateException("thrown");
		}

		@Throttled(value = "stage-timeout", permits = 1, timeout = "50ms")
		public CompletableFuture<String> timingOut() {
			this.gates.pass();
			return CompletableFuture.completedFuture("ran");
		}

		/** Returns the caller's stage as its own, so a test sees what reaches it. */
		@Throttled(value = "stage-cancel", permits = 1)
		public CompletableFuture<String> own(CompletableFuture<String> stage) {
			this.gates.pass();
			return stage;
		}

		/** Returns a stage that a cancel cannot end: the call holds its permit until it completes. */
		@Throttled(value = "stage-cancel", permits = 1)
		public CompletionStage<String> uncancellable(CompletableFuture<String> stage) {
			this.gates.pass();
			return stage.minimalCompletionStage();
		}

	}

}
