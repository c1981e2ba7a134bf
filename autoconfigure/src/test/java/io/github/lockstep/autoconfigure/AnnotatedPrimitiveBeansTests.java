package io.github.lockstep.autoconfigure;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A primitive named only by an annotation is a bean like a configured one ({@link AnnotatedPrimitiveBeans}),
 * and an injection point that matches no primitive is explained ({@link NoSuchPrimitiveFailureAnalyzer}).
 */
@ExtendWith(OutputCaptureExtension.class)
class AnnotatedPrimitiveBeansTests {

	private static final String NL = System.lineSeparator();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	@Test
	void everyPrimitiveAnAnnotationNamesIsABeanInjectableByQualifierBeforeTheAnnotatedBeanExists() {
		this.contextRunner.withUserConfiguration(EarlyConsumerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			Consumer consumer = context.getBean(Consumer.class);
			assertThat(consumer.ledger()).isSameAs(registry.lock("ledger").orElseThrow())
				.isSameAs(context.getBean("lockstep.lock.ledger"));
			assertThat(consumer.reports()).isSameAs(registry.semaphore("reports").orElseThrow());
			assertThat(consumer.reports().availablePermits()).isEqualTo(2);
			assertThat(consumer.reports().isBounded()).isTrue();
			assertThat(consumer.warm()).isSameAs(registry.event("warm").orElseThrow());
			assertThat(consumer.batch()).isSameAs(registry.barrier("batch").orElseThrow());
			assertThat(consumer.batch().parties()).isEqualTo(3);
			assertThat(consumer.unnamed()).isSameAs(registry.semaphore("Shop.unnamed").orElseThrow());
			assertThat(context.getBean("lockstep.event.done")).isSameAs(registry.event("done").orElseThrow());

			// the annotated methods use the very primitives that were injected
			Shop shop = context.getBean(Shop.class);
			assertThat(consumer.ledger().tryAcquire()).isTrue();
			CompletableFuture<String> post = shop.post();
			assertThat(post).isNotDone();
			consumer.ledger().release();
			assertThat(post).isCompletedWithValue("posted");
		});
	}

	@Test
	void primitiveBeansAreNotDefaultCandidates() {
		this.contextRunner.withBean(Shop.class).withUserConfiguration(PlainLockConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PlainLockUser.class).lock()).isSameAs(context.getBean("myLock"));
		});
	}

	@Test
	void aConfiguredNameKeepsItsOneBean() {
		this.contextRunner.withBean(Shop.class)
			.withPropertyValues("lockstep.semaphores.reports.permits=4", "lockstep.locks.ledger.timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(AsyncSemaphore.class)).containsOnlyKeys("lockstep.semaphore.reports",
						"lockstep.semaphore.Shop.unnamed");
				assertThat(context.getBean("lockstep.semaphore.reports", AsyncSemaphore.class).availablePermits())
					.isEqualTo(4);
			});
	}

	@Test
	void aNameConfiguredAsAnotherKindFailsWithTheUsualAnalysisAndNoSecondBean() {
		this.contextRunner.withBean(Shop.class).withPropertyValues("lockstep.semaphores.ledger.permits=1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageStartingWith("'ledger' is the semaphore configured as lockstep.semaphores.ledger, but @Guarded on"
						+ " Shop.post() uses it as a lock.");
		});
	}

	@Test
	void aQualifierThatMatchesNoPrimitiveListsThoseThatExist(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(MisspelledConfiguration.class, "--lockstep.semaphores.payment-api.permits=5"));
		assertThat(output).contains("Description:" + NL + NL + "Parameter 0 of method misspelled in "
				+ MisspelledConfiguration.class.getName() + " needs the lock 'ledgr', but Lockstep has no lock of"
				+ " that name. The primitives that exist: barrier 'batch', event 'done', event 'warm', lock 'ledger',"
				+ " semaphore 'Shop.unnamed', semaphore 'payment-api', semaphore 'reports'." + NL + NL + "Action:" + NL + NL
				+ "Name one of those in @Qualifier, or declare 'ledgr': configure lockstep.locks.ledgr, or name it in an"
				+ " annotation. An entry with no settings is written 'ledgr:' (or 'ledgr: ~') under lockstep.locks;"
				+ " 'ledgr: {}' is seen only in a YAML file that Spring Boot loaded, in a document that sets something"
				+ " else too.");
	}

	@Test
	void anInjectionPointWithoutQualifierIsToldToNameOne(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(UnqualifiedConfiguration.class));
		assertThat(output).contains("Parameter 0 of method unqualified in " + UnqualifiedConfiguration.class.getName()
				+ " needs a semaphore, but names none. The primitives that exist: ")
			.contains("Name one with @Qualifier(\"name\"): Lockstep's primitives are injected only by name, so that"
					+ " they never make a plain AsyncSemaphore injection point ambiguous.");
	}

	@Test
	void otherMissingBeansAreLeftToSpringBoot(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(NotLockstepConfiguration.class));
		assertThat(output).contains("required a bean of type 'java.lang.Runnable' that could not be found.")
			.doesNotContain("Lockstep has no", "Lockstep's primitives are injected");
	}

	private static void run(Class<?> configuration, String... args) {
		new SpringApplicationBuilder(EndToEndConfiguration.class, configuration).web(WebApplicationType.NONE)
			.run(args)
			.close();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, LockstepAutoConfiguration.class })
	static class EndToEndConfiguration {

		@Bean
		Shop shop() {
			return new Shop();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EarlyConsumerConfiguration {

		// declared before the shop: its primitives are injected before the annotated bean is created
		@Bean
		Consumer consumer(@Qualifier("ledger") AsyncLock ledger, @Qualifier("reports") AsyncSemaphore reports,
				@Qualifier("warm") AsyncEvent warm, @Qualifier("batch") AsyncBarrier batch,
				@Qualifier("Shop.unnamed") AsyncSemaphore unnamed) {
			return new Consumer(ledger, reports, warm, batch, unnamed);
		}

		@Bean
		Shop shop() {
			return new Shop();
		}

	}

	record Consumer(AsyncLock ledger, AsyncSemaphore reports, AsyncEvent warm, AsyncBarrier batch,
			AsyncSemaphore unnamed) {

	}

	static class Shop {

		@Guarded("ledger")
		CompletableFuture<String> post() {
			return CompletableFuture.completedFuture("posted");
		}

		@Throttled(value = "reports", permits = 2)
		CompletableFuture<String> report() {
			return CompletableFuture.completedFuture("report");
		}

		@Throttled(permits = 1)
		CompletableFuture<String> unnamed() {
			return CompletableFuture.completedFuture("unnamed");
		}

		@AwaitEvent("warm")
		@SetEvent("done")
		CompletableFuture<String> price() {
			return CompletableFuture.completedFuture("price");
		}

		@AwaitBarrier(value = "batch", parties = 3)
		CompletableFuture<String> shard() {
			return CompletableFuture.completedFuture("shard");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainLockConfiguration {

		@Bean
		AsyncLock myLock() {
			return AsyncLock.create("mine");
		}

		@Bean
		PlainLockUser plainLockUser(AsyncLock lock) {
			return new PlainLockUser(lock);
		}

	}

	record PlainLockUser(AsyncLock lock) {

	}

	@Configuration(proxyBeanMethods = false)
	static class MisspelledConfiguration {

		@Bean
		Object misspelled(@Qualifier("ledgr") AsyncLock lock) {
			return lock;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnqualifiedConfiguration {

		@Bean
		Object unqualified(AsyncSemaphore semaphore) {
			return semaphore;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotLockstepConfiguration {

		@Bean
		Object notLockstep(Runnable runnable) {
			return runnable;
		}

	}


}
