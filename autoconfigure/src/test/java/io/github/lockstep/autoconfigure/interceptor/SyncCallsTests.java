package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Annotated methods with a plain return type: the caller's thread waits, and whatever ends the
 * call (a return, a throw, a timeout, an interrupt) gives back what it holds.
 */
@SpringBootTest(classes = { CallsApplication.class, SyncCallsTests.SyncService.class })
class SyncCallsTests extends GatedCallsTests {

	@Autowired
	private SyncService service;

	@Test
	void throttledSyncCallsNeverExceedPermits() {
		List<Integer> results = callFromManyThreads(this.service::throttled, 5);

		assertThat(results).containsExactlyElementsOf(IntStream.range(0, CALLS).boxed().toList());
		assertThat(this.gates.mostInside()).isEqualTo(5);
		AsyncSemaphore semaphore = this.registry.semaphore("SyncService.throttled").orElseThrow();
		assertThat(semaphore.availablePermits()).isEqualTo(5);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void guardedSyncCallsRunOneAtATime() {
		List<Integer> results = callFromManyThreads(this.service::guarded, 1);

		assertThat(results).containsExactlyElementsOf(IntStream.range(0, CALLS).boxed().toList());
		assertThat(this.gates.mostInside()).isEqualTo(1);
		AsyncLock lock = this.registry.lock("SyncService.guarded").orElseThrow();
		assertThat(lock.isLocked()).isFalse();
		assertThat(lock.queueLength()).isZero();
	}

	@Test
	void syncCallThatThrowsGivesBackItsPermit() {
		AsyncSemaphore semaphore = this.registry.semaphore("sync-failing").orElseThrow();
		for (int i = 0; i < 3; i++) {
			assertThatIllegalStateException().isThrownBy(this.service::failing).withMessage("boom");
			assertThat(semaphore.availablePermits()).as("permits after failed call %d", i).isEqualTo(2);
		}
		assertThat(this.gates.entered()).isEqualTo(3);
		assertThat(semaphore.queueLength()).isZero();
	}

	@Test
	void syncCallThatTimesOutThrowsNamingTheLock() {
		AsyncLock lock = this.registry.lock("sync-timeout").orElseThrow();
		assertThat(lock.tryAcquire()).isTrue();

		assertThatExceptionOfType(AcquireTimeoutException.class).isThrownBy(this.service::timingOut)
			.withMessageContaining("'sync-timeout'")
			.withMessageContaining("50ms")
			.satisfies((ex) -> assertThat(ex.primitiveName()).isEqualTo("sync-timeout"));
		assertThat(this.gates.entered()).isZero();
		assertThat(lock.queueLength()).isZero();

		lock.release();
		assertThat(lock.isLocked()).isFalse();
		assertThat(this.service.timingOut()).isEqualTo(1);
		assertThat(lock.isLocked()).isFalse();
	}

	@Test
	void interruptedSyncCallGivesUpItsPlace() throws InterruptedException {
		AsyncSemaphore semaphore = this.registry.semaphore("sync-interrupted").orElseThrow();
		assertThat(semaphore.tryAcquire()).isTrue();
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicBoolean flagAfter = new AtomicBoolean();
		Thread caller = new Thread(() -> {
			try {
				this.service.interrupted();
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			flagAfter.set(Thread.currentThread().isInterrupted());
		}, "sync-interrupted-caller");
		caller.start();
		awaitUntil(() -> semaphore.queueLength() == 1, "the call waits for its permit");

		caller.interrupt();
		caller.join(DEADLINE.toMillis());

		assertThat(caller.isAlive()).isFalse();
		assertThat(thrown.get()).isInstanceOf(CancellationException.class);
		assertThat(flagAfter).as("interrupt flag kept").isTrue();
		assertThat(semaphore.queueLength()).isZero();
		assertThat(this.gates.entered()).isZero();
		semaphore.release();
		assertThat(semaphore.availablePermits()).isOne();
	}

	/**
	 * Makes {@link #CALLS} calls from a pool of 32 threads. Each body waits at its gate; the gates
	 * are opened {@code limit} at a time, each batch once that many bodies are inside at once.
	 */
	private List<Integer> callFromManyThreads(IntUnaryOperator method, int limit) {
		AtomicInteger threads = new AtomicInteger();
		ExecutorService callers = Executors.newFixedThreadPool(32,
				(task) -> new Thread(task, "sync-caller-" + threads.incrementAndGet()));
		try {
			List<CompletableFuture<Integer>> calls = IntStream.range(0, CALLS)
				.mapToObj((call) -> CompletableFuture.supplyAsync(() -> method.applyAsInt(call), callers))
				.toList();
			for (int opened = 0; opened < CALLS; opened += limit) {
				List<CompletableFuture<Void>> batch = IntStream.range(0, limit)
					.mapToObj((i) -> this.gates.next())
					.toList();
				batch.forEach((gate) -> gate.complete(null));
			}
			List<Integer> results = Gates.resultsOf(calls);
			assertThat(this.gates.inside()).isZero();
			return results;
		}
		finally {
			callers.shutdownNow();
		}
	}

	static class SyncService extends GatedService {

		SyncService(Gates gates) {
			super(gates);
		}

		@Throttled(permits = 5)
		public int throttled(int call) {
			return this.gates.hold(call).join();
		}

		@Guarded
		public int guarded(int call) {
			return this.gates.hold(call).join();
		}

		@Throttled(value = "sync-failing", permits = 2)
		public int failing() {
			this.gates.pass();
			throw new IllegalStateException("boom");
		}

		@Guarded(value = "sync-timeout", timeout = "50ms")
		public int timingOut() {
			this.gates.pass();
			return 1;
		}

		@Throttled(value = "sync-interrupted", permits = 1)
		public int interrupted() {
			this.gates.pass();
			return 1;
		}

	}

}
