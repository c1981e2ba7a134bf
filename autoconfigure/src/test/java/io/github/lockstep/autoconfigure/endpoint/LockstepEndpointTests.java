package io.github.lockstep.autoconfigure.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.BarrierBrokenException;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.PrimitiveDescriptor;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static io.github.lockstep.autoconfigure.ActuatorPrimitives.assertIdle;
import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Actuator endpoint {@code lockstep} over HTTP: what it reads for each kind of primitive in a
 * known state, the actions on events and barriers once writes are allowed, and the statuses of
 * requests it refuses; then the conditions under which its beans exist.
 */
class LockstepEndpointTests {

	@Nested
	@SpringBootTest(classes = EndpointApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "spring.config.import=classpath:lockstep-actuator.yml")
	@AutoConfigureRestTestClient
	class ReadOnlyByDefault {

		@Autowired
		private RestTestClient client;

		@Autowired
		private LockstepRegistry registry;

		@Autowired
		private MeterRegistry meters;

		@AfterEach
		void everyPrimitiveIsIdleAgain() {
			assertIdle(this.registry);
		}

		@Test
		void readAllDescribesEveryPrimitiveSortedByNameWithTheFieldsOfItsKind() {
			AsyncSemaphore paymentApi = this.registry.semaphore("payment-api").orElseThrow();
			AsyncLock inventory = this.registry.lock("inventory").orElseThrow();
			AsyncEvent cacheWarm = this.registry.event("cache-warm").orElseThrow();
			AsyncCondition account = this.registry.condition("account").orElseThrow();
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			Map<String, Long> contended = contended(this.meters, this.registry);
			List<CompletableFuture<?>> waiters = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				assertThat(paymentApi.tryAcquire()).isTrue();
			}
			waiters.add(paymentApi.acquire());
			waiters.add(paymentApi.acquire());
			assertThat(inventory.tryAcquire()).isTrue();
			waiters.add(inventory.acquire());
			for (int i = 0; i < 3; i++) {
				waiters.add(cacheWarm.await());
			}
			assertThat(account.tryAcquire()).isTrue();
			CompletableFuture<Void> signalled = account.await();
			waiters.add(nightlyBatch.await());
			waiters.add(nightlyBatch.await());
			assertThat(waiters).allSatisfy((waiter) -> assertThat(waiter).isNotDone());
			try {
				this.client.get().uri("/actuator/lockstep").exchange().expectStatus().isOk().expectBody().json("""
						{"primitives": [
						  {"name": "account", "kind": "condition", "locked": false, "waiting": 1, "contended": %d},
						  {"name": "cache-warm", "kind": "event", "set": false, "waiting": 3, "contended": %d},
						  {"name": "inventory", "kind": "lock", "locked": true, "waiting": 1, "contended": %d},
						  {"name": "nightly-batch", "kind": "barrier", "parties": 3, "waiting": 2, "broken": false,
						   "contended": %d},
						  {"name": "payment-api", "kind": "semaphore", "permits": 5, "available": 0, "waiting": 2,
						   "locked": true, "bounded": true, "contended": %d}
						]}""".formatted(contended.get("account") + 1, contended.get("cache-warm") + 3,
						contended.get("inventory") + 1, contended.get("nightly-batch") + 2,
						contended.get("payment-api") + 2), JsonCompareMode.STRICT);
			}
			finally {
				waiters.forEach((waiter) -> assertThat(waiter.cancel(false)).isTrue());
				for (int i = 0; i < 5; i++) {
					paymentApi.release();
				}
				inventory.release();
				// a cancelled condition wait ends holding the lock again
				signalled.cancel(false);
				assertThat(signalled).isCancelled();
				account.release();
			}
		}

		@Test
		void readOneDescribesThatPrimitive() {
			AsyncSemaphore paymentApi = this.registry.semaphore("payment-api").orElseThrow();
			for (int i = 0; i < 3; i++) {
				assertThat(paymentApi.tryAcquire()).isTrue();
			}
			try {
				this.client.get().uri("/actuator/lockstep/payment-api").exchange().expectStatus().isOk().expectBody()
					.json("""
							{"name": "payment-api", "kind": "semaphore", "permits": 5, "available": 2, "waiting": 0,
							 "locked": false, "bounded": true, "contended": %d}"""
						.formatted(contended(this.meters, this.registry).get("payment-api")), JsonCompareMode.STRICT);
			}
			finally {
				for (int i = 0; i < 3; i++) {
					paymentApi.release();
				}
			}
		}

		@Test
		void readOneShowsABrokenBarrier() {
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			nightlyBatch.abort();
			try {
				this.client.get().uri("/actuator/lockstep/nightly-batch").exchange().expectStatus().isOk().expectBody()
					.json("""
							{"name": "nightly-batch", "kind": "barrier", "parties": 3, "waiting": 0, "broken": true,
							 "contended": %d}""".formatted(contended(this.meters, this.registry).get("nightly-batch")),
							JsonCompareMode.STRICT);
			}
			finally {
				nightlyBatch.reset();
			}
		}

		@Test
		void primitiveRegisteredInCodeIsDescribedLikeAConfiguredOne() {
			AsyncSemaphore reports = this.registry.register(AsyncSemaphore.create("reports", 2));
			try {
				this.client.get().uri("/actuator/lockstep/reports").exchange().expectStatus().isOk().expectBody()
					.json("""
							{"name": "reports", "kind": "semaphore", "permits": 2, "available": 2, "waiting": 0,
							 "locked": false, "bounded": false, "contended": 0}""", JsonCompareMode.STRICT);
			}
			finally {
				assertThat(this.registry.remove("reports")).containsSame(reports);
			}
			this.client.get().uri("/actuator/lockstep/reports").exchange().expectStatus().isNotFound();
		}

		@Test
		void readUnknownNameIsNotFound() {
			this.client.get().uri("/actuator/lockstep/no-such-thing").exchange().expectStatus().isNotFound();
		}

		@Test
		void writeIsRefusedByDefault() {
			AsyncEvent cacheWarm = this.registry.event("cache-warm").orElseThrow();
			post(this.client, "cache-warm", "{\"action\": \"set\"}").expectStatus()
				.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
			assertThat(cacheWarm.isSet()).isFalse();
		}

	}

	@Nested
	@SpringBootTest(classes = EndpointApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.config.import=classpath:lockstep-actuator.yml",
					"management.endpoint.lockstep.access=unrestricted",
					// the application's JSON mapper, which writes nulls: the descriptors leave them out themselves
					"management.endpoints.jackson.isolated-json-mapper=false" })
	@AutoConfigureRestTestClient
	class WritesWhenUnrestricted {

		@Autowired
		private RestTestClient client;

		@Autowired
		private LockstepRegistry registry;

		@Autowired
		private MeterRegistry meters;

		@AfterEach
		void everyPrimitiveIsIdleAgain() {
			assertIdle(this.registry);
		}

		@Test
		void setReleasesTheEventsWaitersAndClearUnsetsIt() {
			AsyncEvent cacheWarm = this.registry.event("cache-warm").orElseThrow();
			CompletableFuture<Void> waiter = cacheWarm.await();
			assertThat(waiter).isNotDone();
			try {
				long contended = contended(this.meters, this.registry).get("cache-warm");
				post(this.client, "cache-warm", "{\"action\": \"set\"}").expectStatus().isOk().expectBody().json("""
						{"name": "cache-warm", "kind": "event", "set": true, "waiting": 0, "contended": %d}"""
					.formatted(contended), JsonCompareMode.STRICT);
				assertThat(waiter).succeedsWithin(DEADLINE);
				assertThat(cacheWarm.isSet()).isTrue();

				post(this.client, "cache-warm", "{\"action\": \"clear\"}").expectStatus().isOk().expectBody().json("""
						{"name": "cache-warm", "kind": "event", "set": false, "waiting": 0, "contended": %d}"""
					.formatted(contended), JsonCompareMode.STRICT);
				assertThat(cacheWarm.isSet()).isFalse();
				CompletableFuture<Void> next = cacheWarm.await();
				assertThat(next).isNotDone();
				next.cancel(false);
			}
			finally {
				waiter.cancel(false);
				cacheWarm.clear();
			}
		}

		@Test
		void abortBreaksTheBarrierForItsWaitersAndLaterArrivalsUntilReset() {
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			CompletableFuture<Integer> first = nightlyBatch.await();
			CompletableFuture<Integer> second = nightlyBatch.await();
			try {
				post(this.client, "nightly-batch", "{\"action\": \"abort\"}").expectStatus().isOk().expectBody()
					.json("""
							{"name": "nightly-batch", "kind": "barrier", "parties": 3, "waiting": 0, "broken": true,
							 "contended": %d}""".formatted(contended(this.meters, this.registry).get("nightly-batch")),
							JsonCompareMode.STRICT);
				assertThat(List.of(first, second)).allSatisfy((waiter) -> assertThat(waiter).failsWithin(DEADLINE)
					.withThrowableThat()
					.withCauseInstanceOf(BarrierBrokenException.class));
				assertThat(nightlyBatch.await()).failsWithin(DEADLINE)
					.withThrowableThat()
					.withCauseInstanceOf(BarrierBrokenException.class);

				post(this.client, "nightly-batch", "{\"action\": \"reset\"}").expectStatus().isOk().expectBody()
					.json("""
							{"name": "nightly-batch", "kind": "barrier", "parties": 3, "waiting": 0, "broken": false,
							 "contended": %d}""".formatted(contended(this.meters, this.registry).get("nightly-batch")),
							JsonCompareMode.STRICT);
				List<CompletableFuture<Integer>> round = List.of(nightlyBatch.await(), nightlyBatch.await(),
						nightlyBatch.await());
				assertThat(round).allSatisfy((arrival) -> assertThat(arrival).succeedsWithin(DEADLINE));
			}
			finally {
				nightlyBatch.reset();
			}
		}

		@Test
		void resetBreaksTheCurrentWaitersAndLeavesTheBarrierUsable() {
			AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
			CompletableFuture<Integer> first = nightlyBatch.await();
			CompletableFuture<Integer> second = nightlyBatch.await();
			assertThat(nightlyBatch.numberWaiting()).isEqualTo(2);
			long contended = contended(this.meters, this.registry).get("nightly-batch");
			post(this.client, "nightly-batch", "{\"action\": \"reset\"}").expectStatus().isOk().expectBody().json("""
					{"name": "nightly-batch", "kind": "barrier", "parties": 3, "waiting": 0, "broken": false,
					 "contended": %d}""".formatted(contended), JsonCompareMode.STRICT);
			assertThat(List.of(first, second)).allSatisfy((waiter) -> assertThat(waiter).failsWithin(DEADLINE)
				.withThrowableThat()
				.withCauseInstanceOf(BarrierBrokenException.class));
			List<CompletableFuture<Integer>> round = List.of(nightlyBatch.await(), nightlyBatch.await(),
					nightlyBatch.await());
			assertThat(round).allSatisfy((arrival) -> assertThat(arrival).succeedsWithin(DEADLINE));
		}

		@Test
		void actionTheKindDoesNotTakeIsBadRequestAndChangesNothing() {
			post(this.client, "cache-warm", "{\"action\": \"abort\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Event 'cache-warm' takes the action set or clear, but was 'abort'");
			post(this.client, "nightly-batch", "{\"action\": \"set\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Barrier 'nightly-batch' takes the action reset or abort, but was 'set'");
			post(this.client, "inventory", "{\"action\": \"set\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Lock 'inventory' takes no action (events take set or clear, barriers reset or abort),"
						+ " but was 'set'");
			post(this.client, "payment-api", "{\"action\": \"reset\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Semaphore 'payment-api' takes no action (events take set or clear, barriers reset or"
						+ " abort), but was 'reset'");
			post(this.client, "account", "{\"action\": \"clear\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Condition 'account' takes no action (events take set or clear, barriers reset or"
						+ " abort), but was 'clear'");
			assertThat(this.registry.event("cache-warm")).get().returns(false, AsyncEvent::isSet);
			assertThat(this.registry.barrier("nightly-batch")).get().returns(false, AsyncBarrier::isBroken);
		}

		@Test
		void unknownActionIsBadRequest() {
			post(this.client, "cache-warm", "{\"action\": \"open\"}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Event 'cache-warm' takes the action set or clear, but was 'open'");
			assertThat(this.registry.event("cache-warm")).get().returns(false, AsyncEvent::isSet);
		}

		@Test
		void missingActionIsBadRequest() {
			post(this.client, "nightly-batch", "{}").expectStatus().isBadRequest().expectBody()
				.jsonPath("$.message")
				.isEqualTo("Barrier 'nightly-batch' takes the action reset or abort, but none was given");
			post(this.client, "nightly-batch", "{\"action\": null}").expectStatus().isBadRequest();
		}

		@Test
		void actionOnUnknownNameIsNotFound() {
			post(this.client, "no-such-thing", "{\"action\": \"set\"}").expectStatus().isNotFound();
			post(this.client, "no-such-thing", "{}").expectStatus().isNotFound();
		}

	}

	/** The read tests on a second backend: the endpoint needs nothing of the in-memory classes. */
	@Nested
	@TestPropertySource(properties = "lockstep.backend=" + ForwardingPrimitives.BACKEND)
	class ReadOnlyOnAnotherBackend extends ReadOnlyByDefault {

		@Autowired
		private LockstepRegistry primitives;

		@Test
		void everyPrimitiveComesFromTheOtherBackend() {
			ForwardingPrimitives.assertAllForwarding(this.primitives);
		}

	}

	/** The write tests on a second backend. */
	@Nested
	@TestPropertySource(properties = "lockstep.backend=" + ForwardingPrimitives.BACKEND)
	class WritesOnAnotherBackend extends WritesWhenUnrestricted {

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
			// lenient enum values (access=none) as in a SpringApplication
			.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withConfiguration(AutoConfigurations.of(LockstepAutoConfiguration.class,
					LockstepEndpointAutoConfiguration.class))
			.withPropertyValues("lockstep.semaphores.payment-api.permits=5");

		@Test
		void endpointIsAbsentUnlessExposed() {
			this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LockstepEndpoint.class)
				.doesNotHaveBean(LockstepEndpointWebExtension.class));
		}

		@Test
		void endpointAndWebExtensionArePresentWhenExposedOverHttp() {
			this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=lockstep")
				.run((context) -> assertThat(context).hasSingleBean(LockstepEndpoint.class)
					.hasSingleBean(LockstepEndpointWebExtension.class));
		}

		@Test
		void endpointIsAbsentWhenItsAccessIsNone() {
			this.contextRunner
				.withPropertyValues("management.endpoints.web.exposure.include=lockstep",
						"management.endpoint.lockstep.access=none")
				.run((context) -> assertThat(context).doesNotHaveBean(LockstepEndpoint.class));
		}

		@Test
		void endpointIsAbsentWhenLockstepIsDisabled() {
			this.contextRunner
				.withPropertyValues("management.endpoints.web.exposure.include=lockstep", "lockstep.enabled=false")
				.run((context) -> assertThat(context).hasNotFailed()
					.doesNotHaveBean(LockstepRegistry.class)
					.doesNotHaveBean(LockstepEndpoint.class));
		}

		@Test
		void endpointBacksOffForTheApplicationsOwn() {
			this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=lockstep")
				.withBean("customLockstepEndpoint", LockstepEndpoint.class,
						() -> new LockstepEndpoint(new LockstepRegistry()))
				.run((context) -> assertThat(context).getBean(LockstepEndpoint.class)
					.isSameAs(context.getBean("customLockstepEndpoint")));
		}

		@Test
		void withoutMetricsTheEndpointGivesConfiguredPermitsButNoContention() {
			this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=lockstep")
				.run((context) -> assertThat(context.getBean(LockstepEndpoint.class).primitive("payment-api"))
					.isEqualTo(new PrimitiveDescriptor("payment-api", "semaphore", 5, 5, null, null, 0, false, false,
							null, null)));
		}

		@Test
		void withMetricsTheEndpointCountsContention() {
			this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=lockstep")
				.withConfiguration(AutoConfigurations.of(LockstepMetricsAutoConfiguration.class))
				.withBean(SimpleMeterRegistry.class)
				.run((context) -> {
					AsyncSemaphore semaphore = context.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow();
					for (int i = 0; i < 5; i++) {
						assertThat(semaphore.acquire()).isDone();
					}
					assertThat(semaphore.acquire(Duration.ZERO)).isCompletedExceptionally();
					assertThat(semaphore.acquire()).isNotDone();
					assertThat(semaphore.acquire()).isNotDone();
					assertThat(context.getBean(LockstepEndpoint.class).primitive("payment-api"))
						.isEqualTo(new PrimitiveDescriptor("payment-api", "semaphore", 5, 0, null, null, 2, true, false,
								null, 3L));
				});
		}

		@Test
		void permitsComeFromTheSemaphoresStateAndContentionFromItsMeters() {
			this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=lockstep")
				.withConfiguration(AutoConfigurations.of(LockstepMetricsAutoConfiguration.class))
				.withBean(SimpleMeterRegistry.class)
				.run((context) -> {
					// made in code: no configuration knows its permits
					AsyncSemaphore reports = context.getBean(LockstepRegistry.class)
						.register(AsyncSemaphore.create("reports", 3));
					for (int i = 0; i < 3; i++) {
						assertThat(reports.tryAcquire()).isTrue();
					}
					List<CompletableFuture<Void>> queued = List.of(reports.acquire(), reports.acquire());
					assertThat(queued).allSatisfy((waiter) -> assertThat(waiter).isNotDone());
					MeterRegistry meters = context.getBean(MeterRegistry.class);
					assertThat(context.getBean(LockstepEndpoint.class).primitive("reports"))
						.isEqualTo(new PrimitiveDescriptor("reports", "semaphore", 3, 0, null, null, 2, true, false,
								null, 2L))
						.returns(contended(meters, context.getBean(LockstepRegistry.class)).get("reports"),
								PrimitiveDescriptor::contended);
				});
		}

	}

	private static RestTestClient.ResponseSpec post(RestTestClient client, String name, String body) {
		return client.post()
			.uri("/actuator/lockstep/{name}", name)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	/** The count of {@code lockstep.contended} of every primitive, by name, as the meters have it now. */
	static Map<String, Long> contended(MeterRegistry meters, LockstepRegistry registry) {
		Map<String, Long> counts = new HashMap<>();
		for (AsyncPrimitive primitive : registry.all()) {
			counts.put(primitive.name(), (long) meters.get("lockstep.contended")
				.tag("name", primitive.name())
				.functionCounter()
				.count());
		}
		return counts;
	}

	/** An Actuator application, with a second backend that {@code lockstep.backend} may choose. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ForwardingPrimitives.class)
	static class EndpointApplication {

	}

}
