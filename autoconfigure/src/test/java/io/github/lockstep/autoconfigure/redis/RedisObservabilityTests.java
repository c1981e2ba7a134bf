package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.LeaseLostException;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.BackendDescriptor;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpointAutoConfiguration;
import io.github.lockstep.autoconfigure.health.LockstepHealthContributorAutoConfiguration;
import io.github.lockstep.autoconfigure.health.LockstepHealthIndicator;
import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.github.lockstep.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint, the health contributor and the meters with one semaphore on Redis and one lock in
 * memory: each primitive shows its backend, Redis's reachability is shown and turns the health
 * DOWN while it is gone, gauges read the primitives' snapshots, and lost leases are counted.
 */
class RedisObservabilityTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ApplicationContextRunner runner() {
		return RedisContexts.runner(redis)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					LockstepMetricsAutoConfiguration.class, LockstepEndpointAutoConfiguration.class,
					LockstepHealthContributorAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=lockstep",
					"lockstep.semaphores.payment-api.permits=2", "lockstep.semaphores.payment-api.backend=redis",
					"lockstep.locks.inventory.timeout=1s", "lockstep.locks.ledger.backend=redis");
	}

	@Test
	void theEndpointShowsEachPrimitivesBackendAndWhetherRedisIsReachable() {
		runner().run((context) -> {
			LockstepEndpoint endpoint = context.getBean(LockstepEndpoint.class);
			assertThat(endpoint.primitive("payment-api").backend()).isEqualTo("redis");
			assertThat(endpoint.primitive("payment-api").permits()).isEqualTo(2);
			assertThat(endpoint.primitive("inventory").backend()).isEqualTo("memory");
			assertThat(endpoint.primitives().backends()).containsExactly(Map.entry("redis", new BackendDescriptor(true)));
		});
	}

	@Test
	void healthCountsThePrimitivesOfEachBackendAndIsUpWhileRedisIsReachable() {
		runner().run((context) -> {
			Health health = context.getBean(LockstepHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("primitives", 3)
				.containsEntry("backends", Map.of("memory", Map.of("primitives", 1), "redis",
						Map.of("primitives", 2, "reachable", true)));
		});
	}

	@Test
	void metersOfARedisSemaphoreCountItsWaitsAndItsGaugesReadItsSnapshot() {
		runner().run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			AsyncSemaphore paymentApi = context.getBean("lockstep.semaphore.payment-api", AsyncSemaphore.class);
			assertThat(paymentApi.acquire()).succeedsWithin(DEADLINE);
			assertThat(paymentApi.acquire()).succeedsWithin(DEADLINE);
			CompletableFuture<Void> queued = paymentApi.acquire();
			await(() -> gauge(meters, LockstepMetrics.WAITING, "payment-api") == 1, "one waiter shown");
			assertThat(gauge(meters, LockstepMetrics.PERMITS_AVAILABLE, "payment-api")).isZero();
			assertThat(gauge(meters, LockstepMetrics.LOCKED, "payment-api")).isOne();
			// the wait is reported once Redis has queued it, which the snapshot may show a moment before
			await(() -> meters.get(LockstepMetrics.CONTENDED).tag("name", "payment-api").functionCounter().count() == 1,
					"the queued acquisition counted as contended");
			assertThat(paymentApi.releaseAsync()).succeedsWithin(DEADLINE);
			assertThat(queued).succeedsWithin(DEADLINE);
			assertThat(meters.get(LockstepMetrics.WAIT).tag("name", "payment-api").tag("outcome", "acquired").timer()
				.count()).isOne();
			assertThat(paymentApi.releaseAsync()).succeedsWithin(DEADLINE);
			assertThat(paymentApi.releaseAsync()).succeedsWithin(DEADLINE);
			await(() -> gauge(meters, LockstepMetrics.PERMITS_AVAILABLE, "payment-api") == 2, "both permits free");
		});
	}

	@Test
	void aHoldWhoseLeaseWasLostIsCountedOnLockstepLeasesLost() {
		runner().run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(LockstepMetrics.LEASES_LOST).tag("backend", "redis").functionCounter().count()).isZero();
			AsyncLock ledger = context.getBean("lockstep.lock.ledger", AsyncLock.class);
			assertThat(ledger.acquire()).succeedsWithin(DEADLINE);
			// Redis forgets the hold, as a restart without persistence would
			redis.admin().flushall();
			assertThat(ledger.releaseAsync()).failsWithin(DEADLINE)
				.withThrowableThat()
				.withCauseInstanceOf(LeaseLostException.class);
			assertThat(meters.get(LockstepMetrics.LEASES_LOST).tag("backend", "redis").functionCounter().count()).isOne();
		});
	}

	@Test
	void whileRedisIsGoneHealthIsDownAndTheGaugesStillReadTheLastSnapshot() {
		runner().run((context) -> {
			LockstepHealthIndicator health = context.getBean(LockstepHealthIndicator.class);
			LockstepEndpoint endpoint = context.getBean(LockstepEndpoint.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			redis.kill();
			try {
				await(() -> health.health().getStatus().equals(Status.DOWN), "DOWN once Redis is gone");
				assertThat(health.health().getDetails()).containsEntry("backends", Map.of("memory",
						Map.of("primitives", 1), "redis", Map.of("primitives", 2, "reachable", false)));
				assertThat(endpoint.primitives().backends())
					.containsExactly(Map.entry("redis", new BackendDescriptor(false)));
				long started = System.nanoTime();
				assertThat(gauge(meters, LockstepMetrics.PERMITS_AVAILABLE, "payment-api")).isEqualTo(2);
				assertThat(gauge(meters, LockstepMetrics.WAITING, "payment-api")).isZero();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no round trip per gauge")
					.isLessThan(Duration.ofMillis(500));
			}
			finally {
				redis.restart();
			}
			await(() -> health.health().getStatus().equals(Status.UP), "UP again once Redis is back");
		});
	}

	private static double gauge(MeterRegistry meters, String name, String primitive) {
		return meters.get(name).tag("name", primitive).gauge().value();
	}

	private static void await(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as(what + " within " + DEADLINE).isNegative();
			LockSupport.parkNanos(10_000_000);
		}
	}

}
