package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code CompletableFuture} calls whose steps are all free when they arrive skip the admission
 * that a waiting call needs; calls that find a later step taken go on waiting with the earlier
 * steps held. Either way, what a call holds is given back exactly once, when its stage ends.
 *
 * <p>The semaphore {@code pool} is configured in YAML, so it is not bounded: a second release
 * would show as an extra permit instead of failing.
 */
class UncontendedStageCallTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(LockstepAutoConfiguration.class))
		.withUserConfiguration(Services.class)
		.withPropertyValues("lockstep.semaphores.pool.permits=2");

	@Test
	void freeCallRunsOnTheCallersThreadAndGivesItsPermitBackOnceItsStageEnds() {
		run((service, body, pool, lock) -> {
			CompletableFuture<String> stage = new CompletableFuture<>();
			body.next = stage;

			CompletableFuture<String> call = service.throttled();

			assertThat(body.thread.get()).isSameAs(Thread.currentThread());
			assertThat(call).isNotDone();
			assertThat(pool.availablePermits()).isOne();
			stage.complete("done");
			assertThat(call).isCompletedWithValue("done");
			assertThat(pool.availablePermits()).isEqualTo(2);
		});
	}

	@Test
	void freeCallThatThrowsFailsItsFutureAndGivesItsPermitBack() {
		run((service, body, pool, lock) -> {
			body.next = null;

			CompletableFuture<String> call = service.throttled();

			assertThat(call).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(IllegalStateException.class);
			assertThat(pool.availablePermits()).isEqualTo(2);
		});
	}

	@Test
	void cancellingAFreeCallCancelsItsStageAndGivesItsPermitBackOnce() {
		run((service, body, pool, lock) -> {
			CompletableFuture<String> stage = new CompletableFuture<>();
			body.next = stage;
			CompletableFuture<String> call = service.throttled();

			assertThat(call.cancel(true)).isTrue();

			assertThat(stage).isCancelled();
			assertThat(pool.availablePermits()).isEqualTo(2);
			stage.complete("late");
			assertThat(pool.availablePermits()).isEqualTo(2);
		});
	}

	@Test
	void callThatFindsItsLockTakenWaitsHoldingItsPermitAndGivesBothBack() {
		run((service, body, pool, lock) -> {
			CompletableFuture<String> stage = new CompletableFuture<>();
			body.next = stage;
			assertThat(lock.tryAcquire()).isTrue();

			CompletableFuture<String> call = service.throttledAndGuarded();

			assertThat(call).isNotDone();
			assertThat(body.calls).hasValue(0);
			assertThat(pool.availablePermits()).as("the permit is held while the lock is awaited").isOne();
			lock.release();
			assertThat(body.calls).hasValue(1);
			assertThat(lock.isLocked()).isTrue();
			stage.complete("done");
			assertThat(call).isCompletedWithValue("done");
			assertThat(pool.availablePermits()).isEqualTo(2);
			assertThat(lock.isLocked()).isFalse();
		});
	}

	@Test
	void cancellingACallThatWaitsForItsLockGivesBackThePermitItHeld() {
		run((service, body, pool, lock) -> {
			assertThat(lock.tryAcquire()).isTrue();
			CompletableFuture<String> call = service.throttledAndGuarded();

			assertThat(call.cancel(true)).isTrue();

			assertThat(pool.availablePermits()).isEqualTo(2);
			assertThat(lock.queueLength()).isZero();
			lock.release();
			assertThat(lock.isLocked()).as("not granted to the cancelled call").isFalse();
			assertThat(body.calls).hasValue(0);
		});
	}

	@Test
	void callThatTimesOutOnItsLockGivesBackThePermitItHeld() {
		run((service, body, pool, lock) -> {
			assertThat(lock.tryAcquire()).isTrue();

			CompletableFuture<String> call = service.throttledAndGuardedNoWait();

			assertThat(call).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(AcquireTimeoutException.class);
			assertThat(pool.availablePermits()).isEqualTo(2);
			assertThat(body.calls).hasValue(0);
			lock.release();
		});
	}

	private void run(Scenario scenario) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			scenario.accept(context.getBean(Service.class), context.getBean(Body.class), registry.semaphore("pool").orElseThrow(),
					registry.lock("inventory").orElseThrow());
		});
	}

	interface Scenario {

		void accept(Service service, Body body, AsyncSemaphore pool, AsyncLock lock);

	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		Body body() {
			return new Body();
		}

		@Bean
		Service service(Body body) {
			return new Service(body);
		}

	}

	/** What the service's methods do, outside the proxy so that a test can reach it. */
	static class Body {

		/** What the next call returns; {@code null} makes it throw. */
		volatile CompletableFuture<String> next;

		final AtomicInteger calls = new AtomicInteger();

		final AtomicReference<Thread> thread = new AtomicReference<>();

		CompletableFuture<String> run() {
			this.calls.incrementAndGet();
			this.thread.set(Thread.currentThread());
			if (this.next == null) {
				throw new IllegalStateException("no stage");
			}
			return this.next;
		}

	}

	static class Service {

		private final Body body;

		Service(Body body) {
			this.body = body;
		}

		@Throttled("pool")
		public CompletableFuture<String> throttled() {
			return this.body.run();
		}

		@Throttled("pool")
		@Guarded("inventory")
		public CompletableFuture<String> throttledAndGuarded() {
			return this.body.run();
		}

		@Throttled("pool")
		@Guarded(value = "inventory", timeout = "0")
		public CompletableFuture<String> throttledAndGuardedNoWait() {
			return this.body.run();
		}

	}

}
