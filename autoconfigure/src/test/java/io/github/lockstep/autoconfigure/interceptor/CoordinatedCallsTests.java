package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static io.github.lockstep.autoconfigure.Gates.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code @SetEvent}, {@code @AwaitEvent} and {@code @AwaitBarrier} on calls of every shape, and the
 * order in which one call passes several annotations: events and barriers first, then the permit,
 * then the lock, so that the lock is held the shortest time.
 */
@SpringBootTest(classes = { CallsApplication.class, CoordinatedCallsTests.CoordinatedService.class },
		properties = "lockstep.events.ready.initially-set=true")
class CoordinatedCallsTests extends GatedCallsTests {

	/** Threads for the sync calls that block. */
	private static ExecutorService callers;

	@Autowired
	private CoordinatedService service;

	@Autowired
	@Qualifier("ready")
	private AsyncEvent ready;

	@BeforeAll
	static void startCallers() {
		AtomicInteger threads = new AtomicInteger();
		callers = Executors.newCachedThreadPool((task) -> new Thread(task, "sync-caller-" + threads.incrementAndGet()));
	}

	@AfterAll
	static void stopCallers() {
		callers.shutdownNow();
	}

	@BeforeEach
	void clearEvents() {
		this.registry.all().stream()
			.filter(AsyncEvent.class::isInstance)
			.map(AsyncEvent.class::cast)
			.filter((event) -> event != this.ready)
			.forEach(AsyncEvent::clear);
	}

	@Test
	void setEventOnStageIsSetOnlyWhenTheStageSucceeds() {
		AsyncEvent event = this.registry.event("stage-finished").orElseThrow();
		CompletableFuture<String> failing = new CompletableFuture<>();
		CompletableFuture<String> call = this.service.finishStage(failing);
		assertThat(event.isSet()).as("before the stage ends").isFalse();
		failing.completeExceptionally(new IllegalStateException("boom"));
		assertThat(failureOf(call)).hasMessage("boom");
		assertThat(event.isSet()).as("after the stage failed").isFalse();

		CompletableFuture<String> succeeding = new CompletableFuture<>();
		call = this.service.finishStage(succeeding);
		assertThat(event.isSet()).as("before the stage ends").isFalse();
		succeeding.complete("done");

		assertThat(call).isCompletedWithValue("done");
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void setEventOnMonoIsSetOnlyWhenThePublisherSucceeds() {
		AsyncEvent event = this.registry.event("mono-finished").orElseThrow();
		StepVerifier.create(this.service.finishMono(Mono.error(new IllegalStateException("boom"))))
			.expectErrorMessage("boom")
			.verify(DEADLINE);
		assertThat(event.isSet()).as("after the publisher failed").isFalse();

		CompletableFuture<String> outcome = new CompletableFuture<>();
		CompletableFuture<String> call = this.service.finishMono(Mono.fromFuture(outcome)).toFuture();
		assertThat(event.isSet()).as("before the publisher completes").isFalse();
		outcome.complete("done");

		assertThat(call).isCompletedWithValue("done");
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void setEventOnSyncCallIsSetOnlyWhenTheCallReturns() {
		AsyncEvent event = this.registry.event("sync-finished").orElseThrow();
		assertThatIllegalStateException().isThrownBy(() -> this.service.finishSync(true)).withMessage("boom");
		assertThat(event.isSet()).as("after the call threw").isFalse();

		assertThat(this.service.finishSync(false)).isEqualTo("done");
		assertThat(event.isSet()).isTrue();
	}

	@Test
	void awaitEventStageAndMonoCallsStartOnlyOnceTheEventIsSet() {
		AsyncEvent go = this.registry.event("go").orElseThrow();
		CompletableFuture<String> stage = this.service.whenGoStage();
		CompletableFuture<String> mono = this.service.whenGoMono().toFuture();
		assertThat(stage).isNotDone();
		assertThat(mono).isNotDone();
		assertThat(go.queueLength()).isEqualTo(2);
		assertThat(this.gates.entered()).isZero();

		go.set();

		assertThat(stage).succeedsWithin(DEADLINE).isEqualTo("went");
		assertThat(mono).succeedsWithin(DEADLINE).isEqualTo("went");
		assertThat(this.gates.entered()).isEqualTo(2);
	}

	@Test
	void awaitEventSyncCallStartsOnlyOnceTheEventIsSet() {
		AsyncEvent go = this.registry.event("go").orElseThrow();
		CompletableFuture<String> sync = CompletableFuture.supplyAsync(this.service::whenGoSync, callers);
		awaitUntil(() -> go.queueLength() == 1, "the sync call waits for the event");
		assertThat(this.gates.entered()).isZero();

		go.set();

		assertThat(sync).succeedsWithin(DEADLINE).isEqualTo("went");
		assertThat(this.gates.entered()).isOne();
	}

	@Test
	void awaitEventInitiallySetInConfigurationStartsAtOnce() {
		assertThat(this.ready.isSet()).isTrue();

		assertThat(this.service.whenReadyStage()).isCompletedWithValue("ready");
		assertThat(this.service.whenReadySync()).isEqualTo("ready");
		assertThat(this.gates.entered()).isEqualTo(2);
	}

	@Test
	void awaitBarrierStageCallsStartTogether() {
		AsyncBarrier barrier = this.registry.barrier("trio").orElseThrow();
		CompletableFuture<Integer> first = this.service.meet(1);
		CompletableFuture<Integer> second = this.service.meet(2);
		assertThat(barrier.numberWaiting()).isEqualTo(2);
		assertThat(this.gates.entered()).as("no body before the third arrives").isZero();
		assertThat(first).isNotDone();
		assertThat(second).isNotDone();

		CompletableFuture<Integer> third = this.service.meet(3);

		assertThat(List.of(first, second, third)).allSatisfy((call) -> assertThat(call).succeedsWithin(DEADLINE));
		assertThat(this.gates.entered()).isEqualTo(3);
		assertThat(barrier.numberWaiting()).isZero();
	}

	@Test
	void awaitBarrierSyncCallsStartTogether() {
		AsyncBarrier barrier = this.registry.barrier("sync-trio").orElseThrow();
		List<CompletableFuture<Integer>> waiting = IntStream.of(1, 2)
			.mapToObj((party) -> CompletableFuture.supplyAsync(() -> this.service.meetSync(party), callers))
			.toList();
		awaitUntil(() -> barrier.numberWaiting() == 2, "two sync calls wait at the barrier");
		assertThat(this.gates.entered()).as("no body before the third arrives").isZero();

		assertThat(this.service.meetSync(3)).isEqualTo(3);

		assertThat(Gates.resultsOf(waiting)).containsExactly(1, 2);
		assertThat(this.gates.entered()).isEqualTo(3);
	}

	@Test
	void orderedStageCallTakesTheLockLast() {
		AsyncEvent open = this.registry.event("order-open").orElseThrow();
		AsyncSemaphore permits = this.registry.semaphore("order-permits").orElseThrow();
		AsyncLock lock = this.registry.lock("order-lock").orElseThrow();

		CompletableFuture<Integer> first = this.service.ordered(1);
		assertThat(open.queueLength()).as("waits for the event").isOne();
		assertThat(permits.availablePermits()).as("no permit taken while waiting for the event").isEqualTo(2);
		assertThat(lock.isLocked()).as("no lock taken while waiting for the event").isFalse();

		assertThat(lock.tryAcquire()).isTrue();
		open.set();
		awaitUntil(() -> lock.queueLength() == 1, "waits for the lock");
		assertThat(permits.availablePermits()).as("the permit is held while waiting for the lock").isOne();

		assertThat(permits.tryAcquire()).isTrue();
		CompletableFuture<Integer> second = this.service.ordered(2);
		assertThat(permits.queueLength()).as("waits for a permit").isOne();
		assertThat(lock.queueLength()).as("does not wait for the lock without a permit").isOne();

		lock.release();
		this.gates.next().complete(null);
		assertThat(first).succeedsWithin(DEADLINE).isEqualTo(1);
		this.gates.next().complete(null);
		assertThat(second).as("the second call takes the freed permit, then the lock")
			.succeedsWithin(DEADLINE)
			.isEqualTo(2);
		assertThat(this.gates.entered()).isEqualTo(2);

		permits.release();
		assertThat(permits.availablePermits()).isEqualTo(2);
		assertThat(permits.queueLength()).isZero();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void orderedSyncCallTakesTheLockLast() {
		AsyncEvent open = this.registry.event("sync-order-open").orElseThrow();
		AsyncSemaphore permits = this.registry.semaphore("sync-order-permits").orElseThrow();
		AsyncLock lock = this.registry.lock("sync-order-lock").orElseThrow();

		CompletableFuture<Integer> call = CompletableFuture.supplyAsync(() -> this.service.orderedSync(1), callers);
		awaitUntil(() -> open.queueLength() == 1, "the sync call waits for the event");
		assertThat(permits.availablePermits()).as("no permit taken while waiting for the event").isEqualTo(2);
		assertThat(lock.isLocked()).as("no lock taken while waiting for the event").isFalse();

		assertThat(lock.tryAcquire()).isTrue();
		open.set();
		awaitUntil(() -> lock.queueLength() == 1, "the sync call waits for the lock");
		assertThat(permits.availablePermits()).as("the permit is held while waiting for the lock").isOne();

		lock.release();
		this.gates.next().complete(null);
		assertThat(call).succeedsWithin(DEADLINE).isEqualTo(1);
		assertThat(permits.availablePermits()).isEqualTo(2);
		assertThat(lock.isLocked()).isFalse();
	}

	static class CoordinatedService extends GatedService {

		CoordinatedService(Gates gates) {
			super(gates);
		}

		@SetEvent("stage-finished")
		public CompletableFuture<String> finishStage(CompletableFuture<String> outcome) {
			return outcome;
		}

		@SetEvent("mono-finished")
		public Mono<String> finishMono(Mono<String> outcome) {
			return outcome;
		}

		@SetEvent("sync-finished")
		public String finishSync(boolean fail) {
			if (fail) {
				throw new IllegalStateException("boom");
			}
			return "done";
		}

		@AwaitEvent("go")
		public CompletableFuture<String> whenGoStage() {
			this.gates.pass();
			return CompletableFuture.completedFuture("went");
		}

		@AwaitEvent("go")
		public Mono<String> whenGoMono() {
			this.gates.pass();
			return Mono.just("went");
		}

		@AwaitEvent("go")
		public String whenGoSync() {
			this.gates.pass();
			return "went";
		}

		@AwaitEvent("ready")
		public CompletableFuture<String> whenReadyStage() {
			this.gates.pass();
			return CompletableFuture.completedFuture("ready");
		}

		@AwaitEvent("ready")
		public String whenReadySync() {
			this.gates.pass();
			return "ready";
		}

		@AwaitBarrier(value = "trio", parties = 3)
		public CompletableFuture<Integer> meet(int party) {
			this.gates.pass();
			return CompletableFuture.completedFuture(party);
		}

		@AwaitBarrier(value = "sync-trio", parties = 3)
		public int meetSync(int party) {
			this.gates.pass();
			return party;
		}

		@AwaitEvent("order-open")
		@Throttled(value = "order-permits", permits = 2)
		@Guarded("order-lock")
		public CompletableFuture<Integer> ordered(int call) {
			return this.gates.hold(call);
		}

		@AwaitEvent("sync-order-open")
		@Throttled(value = "sync-order-permits", permits = 2)
		@Guarded("sync-order-lock")
		public int orderedSync(int call) {
			return this.gates.hold(call).join();
		}

	}

}
