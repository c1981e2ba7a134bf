package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11's new user: a small shop with {@code @Throttled}, {@code @Guarded} on {@code Mono} and
 * {@code Flux}, {@code @AwaitEvent}, and exactly the {@code application.yml} of
 * {@code first-hour.yml} — {@code {}} for "defaults" — loaded by Spring Boot as an application's
 * own file, in strict mode.
 */
class FirstHourTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@Test
	void theShopStartsInStrictModeAndEveryPrimitiveIsInjectableAndMetered() {
		try (ConfigurableApplicationContext context = start("lockstep.strict=true")) {
			Shop shop = context.getBean(Shop.class);
			Desk desk = context.getBean(Desk.class);
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			assertThat(desk.ledger).isSameAs(registry.lock("ledger").orElseThrow());
			assertThat(desk.catalogWarm).isSameAs(registry.event("catalog-warm").orElseThrow());
			assertThat(desk.reports).isSameAs(registry.semaphore("reports").orElseThrow());
			assertThat(desk.reports.availablePermits()).isEqualTo(2);

			// the event gates the catalog; the lock guards the ledger's Mono and Flux
			CompletableFuture<String> price = shop.price("apple").toFuture();
			assertThat(price).isNotDone();
			desk.catalogWarm.set();
			assertThat(price).succeedsWithin(WAIT).isEqualTo("apple: 1.00");
			assertThat(desk.ledger.tryAcquire()).isTrue();
			CompletableFuture<Integer> posted = shop.post(5).toFuture();
			CompletableFuture<java.util.List<Integer>> entries = shop.entries().collectList().toFuture();
			assertThat(posted).isNotDone();
			assertThat(desk.ledger.queueLength()).isEqualTo(2);
			desk.ledger.release();
			assertThat(posted).succeedsWithin(WAIT).isEqualTo(5);
			assertThat(entries).succeedsWithin(WAIT).isEqualTo(java.util.List.of(5));
			assertThat(desk.ledger.isLocked()).isFalse();
			assertThat(shop.report()).succeedsWithin(WAIT).isEqualTo(1);
			assertThat(desk.reports.availablePermits()).isEqualTo(2);

			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("lockstep.waiting").tag("name", "ledger").tag("kind", "lock").gauge()).isNotNull();
			assertThat(meters.find("lockstep.event.set").tag("name", "catalog-warm").gauge().value()).isEqualTo(1.0);
			assertThat(meters.find("lockstep.permits.available").tag("name", "reports").gauge().value()).isEqualTo(2.0);
			assertThat(meters.find("lockstep.contended").tag("name", "ledger").functionCounter().count()).isEqualTo(2.0);
		}
	}

	@Test
	void withoutStrictModeTheEntriesAreTheSamePrimitives() {
		try (ConfigurableApplicationContext context = start("lockstep.strict=false")) {
			Desk desk = context.getBean(Desk.class);
			assertThat(context.getBean("lockstep.lock.ledger")).isSameAs(desk.ledger);
			assertThat(context.getBean("lockstep.event.catalog-warm")).isSameAs(desk.catalogWarm);
			assertThat(context.getBean("lockstep.semaphore.reports")).isSameAs(desk.reports);
			assertThat(desk.catalogWarm.isSet()).isFalse();
		}
	}

	private static ConfigurableApplicationContext start(String strict) {
		return new SpringApplicationBuilder(ShopApplication.class).web(WebApplicationType.NONE)
			.properties("spring.config.name=first-hour", strict)
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, LockstepAutoConfiguration.class,
			LockstepMetricsAutoConfiguration.class })
	static class ShopApplication {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		// defined before the shop, so its primitives are injected before the annotated bean exists
		@Bean
		Desk desk(@Qualifier("ledger") AsyncLock ledger, @Qualifier("catalog-warm") AsyncEvent catalogWarm,
				@Qualifier("reports") AsyncSemaphore reports) {
			return new Desk(ledger, catalogWarm, reports);
		}

		@Bean
		Shop shop() {
			return new Shop();
		}

	}

	record Desk(AsyncLock ledger, AsyncEvent catalogWarm, AsyncSemaphore reports) {

	}

	static class Shop {

		private final AtomicInteger balance = new AtomicInteger();

		private final AtomicInteger reports = new AtomicInteger();

		@AwaitEvent("catalog-warm")
		Mono<String> price(String sku) {
			return Mono.fromSupplier(() -> sku + ": 1.00");
		}

		@Guarded("ledger")
		Mono<Integer> post(int amount) {
			return Mono.fromSupplier(() -> this.balance.addAndGet(amount));
		}

		@Guarded("ledger")
		Flux<Integer> entries() {
			return Flux.defer(() -> Flux.just(this.balance.get()));
		}

		@Throttled("reports")
		CompletableFuture<Integer> report() {
			return CompletableFuture.completedFuture(this.reports.incrementAndGet());
		}

	}

}
