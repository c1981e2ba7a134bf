package io.github.lockstep.autoconfigure.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.github.lockstep.autoconfigure.ActuatorPrimitives.assertIdle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health contributor {@code lockstep} over HTTP: its details, a broken barrier that is listed
 * but leaves it UP unless {@code lockstep.health.down-on-broken-barrier} is set, the longest
 * queues; then the conditions under which it exists.
 */
class LockstepHealthTests {

	@Nested
	@SpringBootTest(classes = HealthApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "spring.config.import=classpath:lockstep-actuator.yml")
	@AutoConfigureRestTestClient
	class UpByDefault {

		@Autowired
		private RestTestClient client;

		@Autowired
		private LockstepRegistry registry;

		@AfterEach
		void everyPrimitiveIsIdleAgain() {
			assertIdle(this.registry);
		}

		@Test
		void idlePrimitivesAreUpWithDetails() {
			this.client.get().uri("/actuator/health/lockstep").exchange().expectStatus().isOk().expectBody().json("""
					{"status": "UP", "details": {"primitives": 5, "brokenBarriers": [], "longestQueues": []}}""",
					JsonCompareMode.STRICT);
		}

		@Test
		void brokenBarrierIsListedButLeavesItUp() {
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			nightlyBatch.abort();
			try {
				this.client.get().uri("/actuator/health/lockstep").exchange().expectStatus().isOk().expectBody()
					.json("""
							{"status": "UP", "details": {"primitives": 5, "brokenBarriers": ["nightly-batch"],
							 "longestQueues": []}}""", JsonCompareMode.STRICT);
				this.client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
					.jsonPath("$.status").isEqualTo("UP");
			}
			finally {
				nightlyBatch.reset();
			}
		}

		@Test
		void longestQueuesAreTheFiveWithMostWaitersThenByName() {
			AsyncSemaphore paymentApi = this.registry.semaphore("payment-api").orElseThrow();
			AsyncEvent cacheWarm = this.registry.event("cache-warm").orElseThrow();
			AsyncCondition account = this.registry.condition("account").orElseThrow();
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			AsyncLock inventory = this.registry.lock("inventory").orElseThrow();
			AsyncLock audit = this.registry.register(AsyncLock.create("audit"));
			AsyncLock idle = this.registry.register(AsyncLock.create("zz-idle"));
			List<CompletableFuture<?>> waiters = new ArrayList<>();
			List<CompletableFuture<Void>> signalWaiters = new ArrayList<>();
			try {
				for (int i = 0; i < 5; i++) {
					assertThat(paymentApi.tryAcquire()).isTrue();
				}
				for (int i = 0; i < 4; i++) {
					waiters.add(paymentApi.acquire());
				}
				for (int i = 0; i < 3; i++) {
					waiters.add(cacheWarm.await());
				}
				for (int i = 0; i < 2; i++) {
					assertThat(account.tryAcquire()).isTrue();
					signalWaiters.add(account.await());
				}
				waiters.add(nightlyBatch.await());
				waiters.add(nightlyBatch.await());
				assertThat(inventory.tryAcquire()).isTrue();
				waiters.add(inventory.acquire());
				assertThat(audit.tryAcquire()).isTrue();
				waiters.add(audit.acquire());
				assertThat(waiters).allSatisfy((waiter) -> assertThat(waiter).isNotDone());
				assertThat(signalWaiters).allSatisfy((waiter) -> assertThat(waiter).isNotDone());

				// inventory and audit both have one waiter: audit comes first by name, inventory is the sixth
				this.client.get().uri("/actuator/health/lockstep").exchange().expectStatus().isOk().expectBody()
					.json("""
							{"status": "UP", "details": {"primitives": 7, "brokenBarriers": [], "longestQueues": [
							  {"name": "payment-api", "kind": "semaphore", "waiting": 4},
							  {"name": "cache-warm", "kind": "event", "waiting": 3},
							  {"name": "account", "kind": "condition", "waiting": 2},
							  {"name": "nightly-batch", "kind": "barrier", "waiting": 2},
							  {"name": "audit", "kind": "lock", "waiting": 1}
							]}}""", JsonCompareMode.STRICT);
			}
			finally {
				waiters.forEach((waiter) -> waiter.cancel(false));
				for (int i = 0; i < 5; i++) {
					paymentApi.release();
				}
				inventory.release();
				audit.release();
				// a cancelled condition wait ends holding the lock again, one waiter after the other
				signalWaiters.forEach((waiter) -> waiter.cancel(false));
				for (CompletableFuture<Void> waiter : signalWaiters) {
					assertThat(waiter).isCancelled();
					account.release();
				}
				assertThat(this.registry.remove("audit")).containsSame(audit);
				assertThat(this.registry.remove("zz-idle")).containsSame(idle);
			}
		}

	}

	@Nested
	@SpringBootTest(classes = HealthApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.config.import=classpath:lockstep-actuator.yml",
					"lockstep.health.down-on-broken-barrier=true" })
	@AutoConfigureRestTestClient
	class DownOnBrokenBarrier {

		@Autowired
		private RestTestClient client;

		@Autowired
		private LockstepRegistry registry;

		@AfterEach
		void everyPrimitiveIsIdleAgain() {
			assertIdle(this.registry);
		}

		@Test
		void brokenBarrierTurnsItDownUntilReset() {
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			this.client.get().uri("/actuator/health/lockstep").exchange().expectStatus().isOk();
			nightlyBatch.abort();
			try {
				this.client.get().uri("/actuator/health/lockstep").exchange()
					.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody()
					.json("""
							{"status": "DOWN", "details": {"primitives": 5, "brokenBarriers": ["nightly-batch"],
							 "longestQueues": []}}""", JsonCompareMode.STRICT);
				this.client.get().uri("/actuator/health").exchange()
					.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody()
					.jsonPath("$.status").isEqualTo("DOWN");
			}
			finally {
				nightlyBatch.reset();
			}
			this.client.get().uri("/actuator/health/lockstep").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.status").isEqualTo("UP");
		}

	}

	/** The health tests on a second backend: the contributor needs nothing of the in-memory classes. */
	@Nested
	@TestPropertySource(properties = "lockstep.backend=" + ForwardingPrimitives.BACKEND)
	class UpOnAnotherBackend extends UpByDefault {

		@Autowired
		private LockstepRegistry primitives;

		@Test
		void everyPrimitiveComesFromTheOtherBackend() {
			ForwardingPrimitives.assertAllForwarding(this.primitives);
		}

	}

	@Nested
	class Conditions {

		private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(LockstepAutoConfiguration.class,
					LockstepHealthContributorAutoConfiguration.class));

		@Test
		void contributorIsPresentByDefault() {
			this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(LockstepHealthIndicator.class)
				.hasBean("lockstepHealthIndicator"));
		}

		@Test
		void contributorIsAbsentWhenDisabled() {
			this.contextRunner.withPropertyValues("management.health.lockstep.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed()
					.hasSingleBean(LockstepRegistry.class)
					.doesNotHaveBean(LockstepHealthIndicator.class));
		}

		@Test
		void contributorIsAbsentWhenHealthIndicatorsAreOffByDefault() {
			this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
				.run((context) -> assertThat(context).doesNotHaveBean(LockstepHealthIndicator.class));
		}

		@Test
		void contributorIsAbsentWhenLockstepIsDisabled() {
			this.contextRunner.withPropertyValues("lockstep.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(LockstepRegistry.class)
					.doesNotHaveBean(LockstepHealthIndicator.class));
		}

		@Test
		void contributorBacksOffForTheApplicationsOwn() {
			this.contextRunner
				.withBean("lockstepHealthIndicator", HealthIndicator.class, () -> () -> Health.outOfService().build())
				.run((context) -> assertThat(context).doesNotHaveBean(LockstepHealthIndicator.class)
					.getBean("lockstepHealthIndicator", HealthIndicator.class)
					.satisfies((indicator) -> assertThat(indicator.health().getStatus().getCode())
						.isEqualTo("OUT_OF_SERVICE")));
		}

	}

	/** An Actuator application, with a second backend that {@code lockstep.backend} may choose. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ForwardingPrimitives.class)
	static class HealthApplication {

	}

}
