package io.github.lockstep.autoconfigure;

import java.util.function.IntSupplier;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpointAutoConfiguration;
import io.github.lockstep.autoconfigure.health.LockstepHealthContributorAutoConfiguration;
import io.github.lockstep.autoconfigure.health.LockstepHealthIndicator;
import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.github.lockstep.autoconfigure.web.LockstepWebFluxAutoConfiguration;
import io.github.lockstep.autoconfigure.web.LockstepWebMvcAutoConfiguration;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lockstep auto-configuration, with Boot's metrics, endpoint and health infrastructure, on a
 * class path that lacks one optional library: the context starts, the concern that needs the
 * library is left out, and the annotations still work.
 */
class OptionalDependenciesTests {

	private static final AutoConfigurations LOCKSTEP = AutoConfigurations.of(AopAutoConfiguration.class,
			LockstepAutoConfiguration.class, LockstepMetricsAutoConfiguration.class,
			LockstepEndpointAutoConfiguration.class, LockstepHealthContributorAutoConfiguration.class,
			LockstepWebMvcAutoConfiguration.class, LockstepWebFluxAutoConfiguration.class);

	private static final AutoConfigurations BOOT_METRICS = AutoConfigurations.of(MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(BOOT_METRICS)
		.withConfiguration(LOCKSTEP)
		.withPropertyValues("lockstep.semaphores.payment-api.permits=2",
				"management.endpoints.web.exposure.include=lockstep")
		.withBean(PaymentClient.class);

	@Test
	void everythingPresentGivesMetersEndpointAndHealth() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LockstepMetrics.class)
				.hasSingleBean(LockstepEndpoint.class)
				.hasSingleBean(LockstepHealthIndicator.class);
			assertCallsWork(context);
		});
	}

	@Test
	void withoutMicrometerThereAreNoMetersAndTheEndpointShowsNoContention() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(LockstepMetrics.class)
				.hasSingleBean(LockstepEndpoint.class)
				.hasSingleBean(LockstepHealthIndicator.class);
			assertThat(((Instrumented) semaphore(context)).probe()).isSameAs(PrimitiveProbe.NONE);
			assertThat(context.getBean(LockstepEndpoint.class).primitive("payment-api").contended()).isNull();
			assertCallsWork(context);
		});
	}

	@Test
	void withoutActuatorThereIsNeitherEndpointNorHealth() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(LockstepEndpoint.class)
					.doesNotHaveBean(LockstepHealthIndicator.class)
					.hasSingleBean(LockstepMetrics.class);
				assertCallsWork(context);
			});
	}

	@Test
	void withoutReactorAReactiveApplicationGetsNoWebFilterAndStarts() {
		new ReactiveWebApplicationContextRunner().withConfiguration(LOCKSTEP)
			.withPropertyValues("lockstep.semaphores.payment-api.permits=2")
			.withBean(PaymentClient.class)
			.withClassLoader(new FilteredClassLoader("reactor.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("lockstepReactiveRequestCalls");
				assertThat(context.getBean(PaymentClient.class).charge(semaphore(context)::availablePermits))
					.isOne();
			});
	}

	private static void assertCallsWork(AssertableApplicationContext context) {
		AsyncSemaphore semaphore = semaphore(context);
		assertThat(context.getBean(PaymentClient.class).charge(semaphore::availablePermits)).isOne();
		assertThat(semaphore.availablePermits()).isEqualTo(2);
	}

	private static AsyncSemaphore semaphore(org.springframework.context.ApplicationContext context) {
		return context.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow();
	}

	/** Public: the proxy class is defined in the filtered class loader, outside this package's. */
	public static class PaymentClient {

		@Throttled("payment-api")
		public int charge(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

}
