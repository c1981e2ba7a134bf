package io.github.lockstep.autoconfigure;

import java.util.Map;
import java.util.function.IntSupplier;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of a context with the auto-configuration, a configured semaphore and an
 * annotated bean: the generated code compiles, and the context it starts has the same beans, the
 * primitive beans (made by a factory method of {@code lockstepConfiguredPrimitives}, or of
 * {@code lockstepAnnotatedPrimitives} for a name only an annotation gives) among them.
 */
@CompileWithForkedClassLoader
class LockstepAotProcessingTests {

	private static final Map<String, Object> PROPERTIES = Map.of("lockstep.semaphores.payment-api.permits", "2");

	@Test
	void generatedInitializerStartsAnEquivalentContext() {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
		context.register(ApplicationConfiguration.class);
		TestGenerationContext generationContext = new TestGenerationContext();
		ClassName initializerName = new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		generationContext.writeGeneratedContent();
		assertThat(RuntimeHintsPredicates.reflection().onType(Throttled.class))
			.as("Lockstep's hints are contributed through @ImportRuntimeHints")
			.accepts(generationContext.getRuntimeHints());
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			GenericApplicationContext aotContext = new GenericApplicationContext();
			aotContext.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", PROPERTIES));
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
				.getInstance(ApplicationContextInitializer.class, initializerName.toString());
			initializer.initialize(aotContext);
			aotContext.refresh();
			try {
				AsyncSemaphore semaphore = aotContext.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow();
				assertThat(aotContext.getBean("lockstep.semaphore.payment-api")).isSameAs(semaphore);
				PaymentClient client = aotContext.getBean(PaymentClient.class);
				assertThat(client.semaphore()).isSameAs(semaphore);
				assertThat(AopUtils.isAopProxy(client)).isTrue();
				assertThat(client.charge(semaphore::availablePermits)).isOne();
				assertThat(semaphore.availablePermits()).isEqualTo(2);
				// a lock only an annotation names is a bean too, defined at build time
				AsyncLock ledger = aotContext.getBean(LockstepRegistry.class).lock("ledger").orElseThrow();
				assertThat(aotContext.getBean("lockstep.lock.ledger")).isSameAs(ledger);
				assertThat(client.ledger()).isSameAs(ledger);
				assertThat(client.post(ledger::isLocked)).isTrue();
				assertThat(ledger.isLocked()).isFalse();
			}
			finally {
				aotContext.close();
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, LockstepAutoConfiguration.class })
	static class ApplicationConfiguration {

		@Bean
		PaymentClient paymentClient(@Qualifier("payment-api") AsyncSemaphore semaphore,
				@Qualifier("ledger") AsyncLock ledger) {
			return new PaymentClient(semaphore, ledger);
		}

	}

	static class PaymentClient {

		private final AsyncSemaphore semaphore;

		private final AsyncLock ledger;

		PaymentClient(AsyncSemaphore semaphore, AsyncLock ledger) {
			this.semaphore = semaphore;
			this.ledger = ledger;
		}

		public AsyncLock ledger() {
			return this.ledger;
		}

		@Guarded("ledger")
		public boolean post(java.util.function.BooleanSupplier inside) {
			return inside.getAsBoolean();
		}

		public AsyncSemaphore semaphore() {
			return this.semaphore;
		}

		@Throttled("payment-api")
		public int charge(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

}
