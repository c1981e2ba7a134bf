package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.issueFromOneThread;
import static io.github.lockstep.autoconfigure.Gates.resultsOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Annotated methods returning Reactor's {@code Mono} and {@code Flux}: each subscription is one
 * call, its wait holds no thread, and it gives back what it holds exactly once, on completion, on
 * error and on cancel.
 */
@SpringBootTest(classes = { CallsApplication.class, ReactiveCallsTests.ReactiveService.class },
		properties = { "lockstep.semaphores.flux-stream.permits=2", "lockstep.semaphores.flux-stream.bounded=true" })
class ReactiveCallsTests extends GatedCallsTests {

	@Autowired
	private ReactiveService service;

	@Autowired
	@Qualifier("flux-stream")
	private AsyncSemaphore fluxStream;

	/** Errors Reactor dropped: a cancelled subscription must end quietly. */
	private final List<Throwable> dropped = new CopyOnWriteArrayList<>();

	@BeforeEach
	void catchDroppedErrors() {
		Hooks.onErrorDropped(this.dropped::add);
	}

	@AfterEach
	void resetHooks() {
		Hooks.resetOnErrorDropped();
	}

	@Test
	void throttledMonoSubscriptionsNeverExceedPermitsNorBlockTheSubscriber() {
		AsyncSemaphore semaphore = this.registry.semaphore("ReactiveService.throttledMono").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS,
				(call) -> this.service.throttledMono(call).toFuture());

		this.gates.assertLimitHolds(calls, 5, semaphore::queueLength);
		assertThat(semaphore.availablePermits()).isEqualTo(5);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void guardedMonoSubscriptionsRunOneAtATime() {
		AsyncLock lock = this.registry.lock("ReactiveService.guardedMono").orElseThrow();

		List<CompletableFuture<Integer>> calls = issueFromOneThread(CALLS,
				(call) -> this.service.guardedMono(call).toFuture());

		this.gates.assertLimitHolds(calls, 1, lock::queueLength);
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void throttledFluxSubscriptionsNeverExceedPermitsNorBlockTheSubscriber() {
		AsyncSemaphore semaphore = this.registry.semaphore("ReactiveService.throttledFlux").orElseThrow();

		List<CompletableFuture<List<Integer>>> calls = issueFromOneThread(CALLS,
				(call) -> this.service.throttledFlux(call).collectList().toFuture());

		assertThat(this.gates.closed()).as("admitted, held at their gates").isEqualTo(5);
		assertThat(semaphore.queueLength()).as("still waiting").isEqualTo(CALLS - 5);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		this.gates.openAll(CALLS);
		assertThat(resultsOf(calls))
			.containsExactlyElementsOf(IntStream.range(0, CALLS).mapToObj((call) -> List.of(call, call)).toList());
		assertThat(this.gates.mostInside()).isEqualTo(5);
		assertThat(semaphore.availablePermits()).isEqualTo(5);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void guardedFluxSubscriptionsRunOneAtATime() {
		AsyncLock lock = this.registry.lock("ReactiveService.guardedFlux").orElseThrow();

		List<CompletableFuture<List<Integer>>> calls = issueFromOneThread(CALLS,
				(call) -> this.service.guardedFlux(call).collectList().toFuture());

		assertThat(this.gates.closed()).as("admitted, held at its gate").isOne();
		assertThat(lock.queueLength()).as("still waiting").isEqualTo(CALLS - 1);
		assertThat(calls).noneMatch(CompletableFuture::isDone);
		this.gates.openAll(CALLS);
		assertThat(resultsOf(calls))
			.containsExactlyElementsOf(IntStream.range(0, CALLS).mapToObj((call) -> List.of(call, call)).toList());
		assertThat(this.gates.mostInside()).isOne();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void monoErrorGivesBackItsPermit() {
		AsyncSemaphore semaphore = this.registry.semaphore("mono-failing").orElseThrow();
		for (int i = 0; i < 3; i++) {
			StepVerifier.create(this.service.failingMono())
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(IllegalStateException.class).hasMessage("boom"))
				.verify(DEADLINE);
			assertThat(semaphore.availablePermits()).as("permits after error %d", i).isEqualTo(2);
		}
		assertThat(this.gates.entered()).isEqualTo(3);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void monoThatTimesOutSignalsAnErrorNamingTheSemaphore() {
		AsyncSemaphore semaphore = this.registry.semaphore("mono-timeout").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();

		StepVerifier.create(this.service.timingOutMono())
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(AcquireTimeoutException.class)
				.hasMessageContaining("'mono-timeout'")
				.hasMessageContaining("50ms"))
			.verify(DEADLINE);

		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(this.gates.entered()).isZero();
	}

	@Test
	void fluxThatTimesOutSignalsAnErrorNamingTheLock() {
		AsyncLock lock = this.registry.lock("flux-timeout").orElseThrow();
		assertThat(lock.tryAcquire()).isTrue();

		StepVerifier.create(this.service.timingOutFlux())
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(AcquireTimeoutException.class)
				.hasMessageContaining("'flux-timeout'")
				.hasMessageContaining("50ms"))
			.verify(DEADLINE);

		assertThat(lock.queueLength()).isZero();
		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(this.gates.entered()).isZero();
	}

	@Test
	void disposeOfWaitingMonoFreesItsPlace() {
		AsyncSemaphore semaphore = this.registry.semaphore("mono-dispose").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		CompletableFuture<String> own = new CompletableFuture<>();
		Disposable subscription = this.service.held(own).subscribe();
		assertThat(semaphore.queueLength()).isOne();

		subscription.dispose();

		assertThat(semaphore.queueLength()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(this.gates.entered()).as("the disposed call never runs").isZero();
		assertThat(own).isNotDone();
		assertThat(this.dropped).as("errors dropped").isEmpty();
	}

	@Test
	void disposeOfWaitingFluxFreesItsPlace() {
		assertThat(this.fluxStream.tryAcquire()).isTrue();
		assertThat(this.fluxStream.tryAcquire()).isTrue();
		Disposable subscription = this.service.manyElements().subscribe();
		assertThat(this.fluxStream.queueLength()).isOne();

		subscription.dispose();

		assertThat(this.fluxStream.queueLength()).isZero();
		this.fluxStream.release();
		this.fluxStream.release();
		assertThat(this.fluxStream.availablePermits()).isEqualTo(2);
		assertThat(this.dropped).as("errors dropped").isEmpty();
	}

	@Test
	void disposeOfAdmittedMonoCancelsItsPublisherAndGivesBackThePermit() {
		AsyncSemaphore semaphore = this.registry.semaphore("mono-dispose").orElseThrow();
		CompletableFuture<String> own = new CompletableFuture<>();
		Disposable subscription = this.service.held(own).subscribe();
		assertThat(this.gates.entered()).isOne();
		assertThat(semaphore.availablePermits()).isZero();

		subscription.dispose();

		assertThat(own).as("Mono.fromFuture cancels its future on cancel").isCancelled();
		assertThat(semaphore.availablePermits()).isOne();
		assertThat(semaphore.queueLength()).isZero();
		assertThat(this.dropped).as("errors dropped").isEmpty();
	}

	@Test
	void fluxThatErrorsMidStreamGivesBackItsPermitExactlyOnce() {
		int calls = 6;
		List<CompletableFuture<List<Signal<Integer>>>> subscriptions = IntStream.range(0, calls)
			.mapToObj((call) -> this.service.failingMidStream().materialize().collectList().toFuture())
			.toList();
		assertThat(this.fluxStream.queueLength()).isEqualTo(calls - 2);

		this.gates.openAll(calls);

		for (List<Signal<Integer>> signals : resultsOf(subscriptions)) {
			assertThat(signals).hasSize(3);
			assertThat(signals.subList(0, 2)).extracting(Signal::get).containsExactly(1, 2);
			// an over-release of the bounded semaphore would throw, and that error would reach here
			assertThat(signals.get(2).getThrowable()).isInstanceOf(IllegalStateException.class)
				.hasMessage("mid-stream")
				.hasNoSuppressedExceptions();
		}
		assertThat(this.gates.mostInside()).isEqualTo(2);
		assertThat(this.fluxStream.isBounded()).isTrue();
		assertThat(this.fluxStream.availablePermits()).isEqualTo(2);
		assertThat(this.fluxStream.queueLength()).isZero();
	}

	@Test
	void fluxCancelledAfterSomeElementsGivesBackItsPermitExactlyOnce() {
		for (int i = 0; i < 3; i++) {
			StepVerifier.create(this.service.manyElements().take(2)).expectNext(1, 2).expectComplete().verify(DEADLINE);
			assertThat(this.fluxStream.availablePermits()).as("permits after cancel %d", i).isEqualTo(2);
		}
		assertThat(this.fluxStream.queueLength()).isZero();
	}

	static class ReactiveService extends GatedService {

		ReactiveService(Gates gates) {
			super(gates);
		}

		@Throttled(permits = 5)
		public Mono<Integer> throttledMono(int call) {
			return Mono.fromFuture(this.gates.hold(call));
		}

		@Guarded
		public Mono<Integer> guardedMono(int call) {
			return Mono.fromFuture(this.gates.hold(call));
		}

		@Throttled(permits = 5)
		public Flux<Integer> throttledFlux(int call) {
			return Flux.concat(Mono.just(call), Mono.fromFuture(this.gates.hold(call)));
		}

		@Guarded
		public Flux<Integer> guardedFlux(int call) {
			return Flux.concat(Mono.just(call), Mono.fromFuture(this.gates.hold(call)));
		}

		@Throttled(value = "mono-failing", permits = 2)
		public Mono<String> failingMono() {
			this.gates.pass();
			return Mono.error(new IllegalStateException("boom"));
		}

		@Throttled(value = "mono-timeout", permits = 1, timeout = "50ms")
		public Mono<String> timingOutMono() {
			this.gates.pass();
			return Mono.just("ran");
		}

		@Guarded(value = "flux-timeout", timeout = "50ms")
		public Flux<String> timingOutFlux() {
			this.gates.pass();
			return Flux.just("ran");
		}

		@Throttled(value = "mono-dispose", permits = 1)
		public Mono<String> held(CompletableFuture<String> own) {
			this.gates.pass();
			return Mono.fromFuture(own);
		}

		/** Emits two elements, then waits at its gate, then fails. */
		@Throttled("flux-stream")
		public Flux<Integer> failingMidStream() {
			return Flux.concat(Flux.just(1, 2),
					Mono.fromFuture(this.gates.hold(0)).then(Mono.error(new IllegalStateException("mid-stream"))));
		}

		@Throttled("flux-stream")
		public Flux<Integer> manyElements() {
			return Flux.range(1, 100);
		}

	}

}
