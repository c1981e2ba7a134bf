package io.github.lockstep.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.resilience4j.bulkhead.annotation.Bulkhead;
import io.github.resilience4j.common.bulkhead.configuration.CommonBulkheadConfigurationProperties.InstanceProperties;
import io.github.resilience4j.common.bulkhead.configuration.CommonThreadPoolBulkheadConfigurationProperties;
import io.github.resilience4j.spring6.bulkhead.configure.BulkheadConfiguration;
import io.github.resilience4j.spring6.bulkhead.configure.BulkheadConfigurationProperties;
import io.github.resilience4j.spring6.bulkhead.configure.threadpool.ThreadPoolBulkheadConfiguration;
import io.github.resilience4j.spring6.fallback.configure.FallbackConfiguration;
import io.github.resilience4j.spring6.spelresolver.configure.SpelResolverConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.RootClassFilter;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.MapPropertySource;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * The same trivial service four times: unannotated, and behind each of the three concurrency
 * limits that {@link AnnotationOverheadBenchmark} compares, each in a Spring context of its own
 * that holds only that limit's infrastructure. Every method body is the same: it returns a value
 * made once, or a completed future of it, so what differs between the variants is the proxy and
 * its interceptor.
 *
 * <p>{@link #startMetered} starts the Lockstep variant once more with Lockstep's meters in a
 * {@link PrometheusMeterRegistry}, or with them switched off, for {@link MetricsOverheadBenchmark}.
 *
 * <p>No service implements an interface, so every proxy is a CGLIB class proxy.
 */
final class AnnotatedServices {

	/**
	 * Permits of every limit: more than one thread can ever hold, so no call waits or is
	 * refused.
	 */
	static final int PERMITS = 1_000;

	private AnnotatedServices() {
	}

	/**
	 * Starts the context of a variant.
	 * @param variant {@code unannotated}, {@code proxy-only}, {@code lockstep},
	 * {@code concurrency-limit} or {@code resilience4j}
	 * @return the refreshed context; its only {@link Service} bean is the variant's
	 */
	static AnnotationConfigApplicationContext start(String variant) {
		Class<?> configuration = switch (variant) {
			case "unannotated" -> UnannotatedService.class;
			case "proxy-only" -> ProxyOnlyContext.class;
			case "lockstep" -> LockstepContext.class;
			case "concurrency-limit" -> ConcurrencyLimitContext.class;
			case "resilience4j" -> Resilience4jContext.class;
			default -> throw new IllegalArgumentException("Unknown variant '" + variant + "'");
		};
		return new AnnotationConfigApplicationContext(configuration);
	}

	/**
	 * Starts the {@code lockstep} variant's service with a {@link PrometheusMeterRegistry} and
	 * Lockstep's metrics auto-configuration, {@code lockstep.metrics.enabled} set to
	 * {@code metrics} and {@code lockstep.metrics.histogram} to {@code true}.
	 * @param metrics whether Lockstep's meters are bound
	 * @param properties more properties, such as primitives to configure
	 * @return the refreshed context; its only {@link Service} bean is a {@link ThrottledService}
	 */
	static AnnotationConfigApplicationContext startMetered(boolean metrics, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("lockstep.metrics.enabled", metrics);
		all.put("lockstep.metrics.histogram", true);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", all));
		context.register(MeteredLockstepContext.class);
		context.refresh();
		return context;
	}

	/**
	 * The semaphore of a {@link ThrottledService} method in a Lockstep context.
	 * @param method {@code sync} or {@code stage}
	 */
	static AsyncSemaphore throttledSemaphore(AnnotationConfigApplicationContext context, String method) {
		String name = "ThrottledService." + method;
		return context.getBean(LockstepRegistry.class)
			.semaphore(name)
			.orElseThrow(() -> new IllegalStateException("lockstep: no semaphore '" + name + "'"));
	}

	/**
	 * Fails unless, with every permit of {@code stage()}'s semaphore taken, a call waits, and the
	 * release of the permits runs it.
	 */
	static void checkThrottledStageWaits(AnnotationConfigApplicationContext context, Service service) {
		AsyncSemaphore semaphore = throttledSemaphore(context, "stage");
		for (int i = 0; i < PERMITS; i++) {
			if (!semaphore.tryAcquire()) {
				throw new IllegalStateException("lockstep: " + semaphore.name() + " has fewer permits than configured");
			}
		}
		CompletableFuture<String> waiting = service.stage();
		boolean waited = !waiting.isDone();
		for (int i = 0; i < PERMITS; i++) {
			semaphore.release();
		}
		if (!waited || !"done".equals(waiting.getNow(null))) {
			throw new IllegalStateException("lockstep: the call did not wait for a permit and then run");
		}
	}

	/** What the benchmark calls. */
	abstract static class Service {

		/** Made once, so that no call allocates a result. */
		final String value = "done";

		abstract String sync();

		abstract CompletableFuture<String> stage();

	}

	static class UnannotatedService extends Service {

		@Override
		public String sync() {
			return this.value;
		}

		@Override
		public CompletableFuture<String> stage() {
			return CompletableFuture.completedFuture(this.value);
		}

	}

	/** Proxied with an interceptor that only proceeds, in {@link ProxyOnlyContext}. */
	static class PassThroughService extends Service {

		@Override
		public String sync() {
			return this.value;
		}

		@Override
		public CompletableFuture<String> stage() {
			return CompletableFuture.completedFuture(this.value);
		}

	}

	/** One semaphore per method, named {@code ThrottledService.sync} and {@code ThrottledService.stage}. */
	static class ThrottledService extends Service {

		@Override
		@Throttled(permits = PERMITS)
		public String sync() {
			return this.value;
		}

		@Override
		@Throttled(permits = PERMITS)
		public CompletableFuture<String> stage() {
			return CompletableFuture.completedFuture(this.value);
		}

	}

	/**
	 * One throttle per method. Spring's interceptor gives the permit back when the method returns,
	 * so for {@code stage()} it limits calls, not the futures they return.
	 */
	static class ConcurrencyLimitedService extends Service {

		@Override
		@ConcurrencyLimit(PERMITS)
		public String sync() {
			return this.value;
		}

		@Override
		@ConcurrencyLimit(PERMITS)
		public CompletableFuture<String> stage() {
			return CompletableFuture.completedFuture(this.value);
		}

	}

	/** Semaphore bulkheads named as Lockstep names its semaphores, configured in {@link Resilience4jContext}. */
	static class BulkheadService extends Service {

		@Override
		@Bulkhead(name = "BulkheadService.sync", type = Bulkhead.Type.SEMAPHORE)
		public String sync() {
			return this.value;
		}

		@Override
		@Bulkhead(name = "BulkheadService.stage", type = Bulkhead.Type.SEMAPHORE)
		public CompletableFuture<String> stage() {
			return CompletableFuture.completedFuture(this.value);
		}

	}

	/**
	 * The floor that every annotation pays: the auto-proxy creator that Lockstep registers, and one
	 * advisor whose interceptor only proceeds.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import(PassThroughService.class)
	static class ProxyOnlyContext {

		@Bean
		static InfrastructureAdvisorAutoProxyCreator passThroughProxyCreator() {
			return new InfrastructureAdvisorAutoProxyCreator();
		}

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static Advisor passThroughAdvisor() {
			MethodInterceptor proceed = MethodInvocation::proceed;
			return new DefaultPointcutAdvisor(new ComposablePointcut(new RootClassFilter(PassThroughService.class)),
					proceed);
		}

	}

	/** Lockstep's auto-configuration and nothing else of Boot's. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(LockstepAutoConfiguration.class)
	@Import(ThrottledService.class)
	static class LockstepContext {

	}

	/**
	 * Lockstep's auto-configurations, its meters' included, and a Prometheus registry (the
	 * registry an application that Prometheus scrapes has), without the rest of Boot.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ LockstepAutoConfiguration.class, LockstepMetricsAutoConfiguration.class })
	@Import(ThrottledService.class)
	static class MeteredLockstepContext {

		@Bean
		PrometheusMeterRegistry prometheusMeterRegistry() {
			return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	@Import(ConcurrencyLimitedService.class)
	static class ConcurrencyLimitContext {

	}

	/**
	 * What Resilience4j's Spring Boot module would set up for {@code @Bulkhead}, without Boot: its
	 * Spring 6 configurations, their properties made in code, and AspectJ auto-proxying.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAspectJAutoProxy
	@Import({ BulkheadConfiguration.class, ThreadPoolBulkheadConfiguration.class, FallbackConfiguration.class,
			SpelResolverConfiguration.class, BulkheadService.class })
	static class Resilience4jContext {

		@Bean
		BulkheadConfigurationProperties bulkheadConfigurationProperties() {
			BulkheadConfigurationProperties properties = new BulkheadConfigurationProperties();
			for (String name : new String[] { "BulkheadService.sync", "BulkheadService.stage" }) {
				properties.getInstances()
					.put(name, new InstanceProperties().setMaxConcurrentCalls(PERMITS).setMaxWaitDuration(Duration.ZERO));
			}
			return properties;
		}

		@Bean
		CommonThreadPoolBulkheadConfigurationProperties threadPoolBulkheadConfigurationProperties() {
			return new CommonThreadPoolBulkheadConfigurationProperties();
		}

	}

}
