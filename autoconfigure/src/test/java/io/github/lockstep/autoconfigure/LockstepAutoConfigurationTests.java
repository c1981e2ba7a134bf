package io.github.lockstep.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.interceptor.LockstepAdvisor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LockstepAutoConfiguration}: one per condition and back-off, and the beans that
 * {@code lockstep.*} makes.
 */
class LockstepAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	@Test
	void registersRegistryAndInterceptorByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(LockstepRegistry.class)
			.hasSingleBean(LockstepProperties.class)
			.hasSingleBean(ConfiguredPrimitives.class)
			.hasBean("lockstepMethodPlans")
			.hasBean("lockstepResumption")
			.hasSingleBean(LockstepAdvisor.class)
			.hasBean("lockstepBeanPostProcessor"));
	}

	@Test
	void annotatedMethodHoldsItsLockWhileItRuns() {
		this.contextRunner.withBean(Inventory.class).run((context) -> {
			Inventory inventory = context.getBean(Inventory.class);
			assertThat(AopUtils.isAopProxy(inventory)).isTrue();
			assertThatExceptionOfType(AcquireTimeoutException.class)
				.isThrownBy(() -> inventory.reserve(() -> inventory.reserve(() -> {
				})))
				.withMessage("Lock 'inventory': wait timed out after 0ms");
			assertThat(inventory.calls()).isOne();
			assertThat(context.getBean(LockstepRegistry.class).lock("inventory")).get()
				.returns(false, AsyncLock::isLocked);
		});
	}

	@Test
	void disabledRegistersNoLockstepBeansAndLeavesAnnotationsInert() {
		this.contextRunner
			.withPropertyValues("lockstep.enabled=false", "lockstep.semaphores.payment-api.permits=2",
					"lockstep.locks.inventory.timeout=1s")
			.withBean(Inventory.class)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(LockstepAutoConfiguration.class)
					.doesNotHaveBean(LockstepRegistry.class)
					.doesNotHaveBean(LockstepProperties.class)
					.doesNotHaveBean(ConfiguredPrimitives.class)
					.doesNotHaveBean("lockstepMethodPlans")
					.doesNotHaveBean(LockstepAdvisor.class)
					.doesNotHaveBean("lockstepBeanPostProcessor")
					.doesNotHaveBean(AsyncPrimitive.class);
				assertThat(context.getBeanDefinitionNames()).noneMatch((name) -> name.startsWith("lockstep."));
				Inventory inventory = context.getBean(Inventory.class);
				assertThat(AopUtils.isAopProxy(inventory)).isFalse();
				inventory.reserve(() -> inventory.reserve(() -> {
				}));
				assertThat(inventory.calls()).isEqualTo(2);
			});
	}

	@Test
	void userRegistryWinsAndReceivesConfiguredPrimitives() {
		this.contextRunner.withUserConfiguration(UserRegistryConfiguration.class)
			.withPropertyValues("lockstep.semaphores.payment-api.permits=5", "lockstep.locks.inventory.timeout=2s")
			.withBean(Inventory.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LockstepRegistry.class);
				LockstepRegistry registry = context.getBean(LockstepRegistry.class);
				assertThat(registry).isSameAs(context.getBean("userRegistry"));
				assertThat(registry.semaphore("payment-api")).get().returns(5, AsyncSemaphore::availablePermits);
				assertThat(registry.lock("inventory")).get()
					.isSameAs(context.getBean("lockstep.lock.inventory"));
				assertThat(registry.all()).extracting(AsyncPrimitive::name).containsExactly("inventory", "payment-api");
			});
	}

	@Test
	void everyConfiguredPrimitiveIsABeanInjectableByQualifier() {
		this.contextRunner
			.withPropertyValues("lockstep.locks.inventory.timeout=2s", "lockstep.semaphores.payment-api.permits=5",
					"lockstep.semaphores.payment-api.bounded=true", "lockstep.semaphores.mail.permits=3",
					"lockstep.events.cache-warm.initially-set=true", "lockstep.events.shutdown.timeout=1s",
					"lockstep.conditions.account.lock=inventory", "lockstep.conditions.queue.timeout=1s",
					"lockstep.barriers.nightly-batch.parties=4")
			.withBean(QualifiedConsumer.class)
			.run((context) -> {
				QualifiedConsumer consumer = context.getBean(QualifiedConsumer.class);
				LockstepRegistry registry = context.getBean(LockstepRegistry.class);
				assertThat(consumer.inventory).isSameAs(registry.lock("inventory").orElseThrow())
					.isSameAs(context.getBean("lockstep.lock.inventory"));
				assertThat(consumer.paymentApi).isSameAs(registry.semaphore("payment-api").orElseThrow())
					.returns(true, AsyncSemaphore::isBounded)
					.returns(5, AsyncSemaphore::availablePermits);
				assertThat(consumer.mail).returns("mail", AsyncSemaphore::name)
					.returns(false, AsyncSemaphore::isBounded)
					.returns(3, AsyncSemaphore::availablePermits);
				assertThat(consumer.cacheWarm).returns("cache-warm", AsyncEvent::name).returns(true, AsyncEvent::isSet);
				assertThat(consumer.shutdown).returns("shutdown", AsyncEvent::name).returns(false, AsyncEvent::isSet);
				assertThat(consumer.account).returns("account", AsyncCondition::name);
				assertThat(consumer.account.lock()).isSameAs(consumer.inventory);
				assertThat(consumer.queue).returns("queue", AsyncCondition::name);
				assertThat(consumer.queue.lock()).isNotSameAs(consumer.inventory);
				assertThat(consumer.nightlyBatch).returns("nightly-batch", AsyncBarrier::name)
					.returns(4, AsyncBarrier::parties);
				assertThat(context.getBeansOfType(AsyncPrimitive.class)).hasSize(8)
					.containsOnlyKeys("lockstep.lock.inventory", "lockstep.semaphore.payment-api",
							"lockstep.semaphore.mail", "lockstep.event.cache-warm", "lockstep.event.shutdown",
							"lockstep.condition.account", "lockstep.condition.queue", "lockstep.barrier.nightly-batch");
			});
	}

	@Test
	void specificationsYamlExampleConfiguresEveryPrimitive() {
		this.contextRunner.withInitializer(yaml("""
				lockstep:
				  enabled: true
				  default-timeout: 30s
				  strict: false
				  interceptor-order: 2147483547
				  async-executor:
				  locks:
				    inventory: { timeout: 2s }
				    ledger: { timeout: 500ms }
				  semaphores:
				    payment-api: { permits: 5, bounded: true }
				  events:
				    cache-warm: { initially-set: false }
				  conditions:
				    account: { lock: inventory }
				  barriers:
				    nightly-batch: { parties: 5 }
				""")).run((context) -> {
			assertThat(context).hasNotFailed();
			LockstepProperties properties = context.getBean(LockstepProperties.class);
			assertThat(properties.getDefaultTimeout()).hasSeconds(30);
			assertThat(properties.getLocks().get("inventory").getTimeout()).hasSeconds(2);
			assertThat(properties.getLocks().get("ledger").getTimeout()).hasMillis(500);
			assertThat(properties.getAsyncExecutor()).isNullOrEmpty();
			assertThat(context.getBean(LockstepRegistry.class).all()).extracting(AsyncPrimitive::name)
				.containsExactly("account", "cache-warm", "inventory", "ledger", "nightly-batch", "payment-api");
			assertThat(context.getBean("lockstep.condition.account", AsyncCondition.class).lock())
				.isSameAs(context.getBean("lockstep.lock.inventory"));
		});
	}

	@Test
	void primitiveBeansLeaveAPlainInjectionPointToTheUsersBean() {
		this.contextRunner
			.withPropertyValues("lockstep.semaphores.payment-api.permits=5", "lockstep.semaphores.mail.permits=3")
			.withUserConfiguration(UserSemaphoreConfiguration.class)
			.withBean(PlainConsumer.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PlainConsumer.class).semaphore).isSameAs(context.getBean("userSemaphore"))
					.returns("mine", AsyncSemaphore::name);
				assertThat(context.getBean(AsyncSemaphore.class)).isSameAs(context.getBean("userSemaphore"));
			});
	}

	@Test
	void primitiveBeansDoNotClashWithTheUsersBeanOfTheSameName() {
		this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.permits=5")
			.withBean("payment-api", PaymentApiClient.class)
			.withBean(QualifiedSemaphoreConsumer.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("payment-api")).isInstanceOf(PaymentApiClient.class);
				assertThat(context.getBean(QualifiedSemaphoreConsumer.class).paymentApi)
					.isSameAs(context.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow());
			});
	}

	@Test
	void dottedNameInBracketsConfiguresTheDefaultSemaphoreOfAMethod() {
		this.contextRunner.withPropertyValues("lockstep.semaphores.[Mailer.send].permits=1")
			.withBean(Mailer.class)
			.run((context) -> {
				AsyncSemaphore semaphore = context.getBean("lockstep.semaphore.Mailer.send", AsyncSemaphore.class);
				assertThat(context.getBean(LockstepRegistry.class).semaphore("Mailer.send")).containsSame(semaphore);
				// configured, so not bounded as an annotation-only semaphore would be
				assertThat(semaphore.isBounded()).isFalse();
				assertThat(context.getBean(Mailer.class).send(semaphore::availablePermits)).isZero();
				assertThat(semaphore.availablePermits()).isOne();
			});
	}

	@Test
	void configuredPermitsWinOverTheAnnotations() {
		this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.permits=2")
			.withBean(PaymentService.class)
			.run((context) -> {
				AsyncSemaphore semaphore = context.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow();
				assertThat(semaphore.availablePermits()).isEqualTo(2);
				assertThat(context.getBean(PaymentService.class).charge(semaphore::availablePermits)).isOne();
			});
	}

	@Test
	void primitiveRegisteredInCodeIsUsedByAnAnnotationNamingIt() {
		this.contextRunner.withUserConfiguration(CodeLockConfiguration.class).run((context) -> {
			AsyncLock codeLock = context.getBean("codeLock", AsyncLock.class);
			assertThat(context.getBean(LockstepRegistry.class).lock("code-lock")).containsSame(codeLock);
			assertThat(context.getBean(CodeLockUser.class).locked(codeLock::isLocked)).isTrue();
			assertThat(codeLock.isLocked()).isFalse();
		});
	}

	@Test
	void interceptorOrderDefaultsToOutsideTheCache() {
		// outside @Transactional is shown on a real database by GuardedTransactionOrderTests
		this.contextRunner.withUserConfiguration(CachingConfiguration.class).run((context) -> {
			assertThat(context.getBean(LockstepAdvisor.class).getOrder()).isEqualTo(Ordered.LOWEST_PRECEDENCE - 100);
			Prices prices = context.getBean(Prices.class);
			assertThat(prices.price("apple")).isEqualTo(1);
			assertThat(prices.price("apple")).as("cached").isEqualTo(1);
			AsyncLock lock = context.getBean(LockstepRegistry.class).lock("prices").orElseThrow();
			assertThat(lock.tryAcquire()).isTrue();
			try {
				// a cache hit still waits for the lock: the cache's advice runs inside Lockstep's
				assertThatExceptionOfType(AcquireTimeoutException.class).isThrownBy(() -> prices.price("apple"));
			}
			finally {
				lock.release();
			}
			assertThat(prices.loads()).isOne();
		});
	}

	@Test
	void interceptorOrderIsAppliedToTheAdvisor() {
		this.contextRunner.withPropertyValues("lockstep.interceptor-order=42")
			.run((context) -> assertThat(context.getBean(LockstepAdvisor.class).getOrder()).isEqualTo(42));
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> yaml(String yaml) {
		return (context) -> {
			try {
				new YamlPropertySourceLoader().load("application.yml", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
					.forEach(context.getEnvironment().getPropertySources()::addFirst);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		};
	}

	static class Inventory {

		private final AtomicInteger calls = new AtomicInteger();

		@Guarded(value = "inventory", timeout = "0")
		public void reserve(Runnable inside) {
			this.calls.incrementAndGet();
			inside.run();
		}

		public int calls() {
			return this.calls.get();
		}

	}

	static class Mailer {

		@Throttled
		public int send(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

	static class PaymentService {

		@Throttled(value = "payment-api", permits = 5)
		public int charge(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

	static class CodeLockUser {

		@Guarded("code-lock")
		public boolean locked(java.util.function.BooleanSupplier inside) {
			return inside.getAsBoolean();
		}

	}

	static class PaymentApiClient {

	}

	static class QualifiedConsumer {

		final AsyncLock inventory;

		final AsyncSemaphore paymentApi;

		final AsyncSemaphore mail;

		final AsyncEvent cacheWarm;

		final AsyncEvent shutdown;

		final AsyncCondition account;

		final AsyncCondition queue;

		final AsyncBarrier nightlyBatch;

		QualifiedConsumer(@Qualifier("inventory") AsyncLock inventory, @Qualifier("payment-api") AsyncSemaphore paymentApi,
				@Qualifier("mail") AsyncSemaphore mail, @Qualifier("cache-warm") AsyncEvent cacheWarm,
				@Qualifier("shutdown") AsyncEvent shutdown, @Qualifier("account") AsyncCondition account,
				@Qualifier("queue") AsyncCondition queue, @Qualifier("nightly-batch") AsyncBarrier nightlyBatch) {
			this.inventory = inventory;
			this.paymentApi = paymentApi;
			this.mail = mail;
			this.cacheWarm = cacheWarm;
			this.shutdown = shutdown;
			this.account = account;
			this.queue = queue;
			this.nightlyBatch = nightlyBatch;
		}

	}

	static class QualifiedSemaphoreConsumer {

		final AsyncSemaphore paymentApi;

		QualifiedSemaphoreConsumer(@Qualifier("payment-api") AsyncSemaphore paymentApi) {
			this.paymentApi = paymentApi;
		}

	}

	static class PlainConsumer {

		final AsyncSemaphore semaphore;

		PlainConsumer(AsyncSemaphore semaphore) {
			this.semaphore = semaphore;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistryConfiguration {

		@Bean
		LockstepRegistry userRegistry() {
			return new LockstepRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSemaphoreConfiguration {

		@Bean
		AsyncSemaphore userSemaphore() {
			return AsyncSemaphore.create("mine", 1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CodeLockConfiguration {

		@Bean
		AsyncLock codeLock(LockstepRegistry registry) {
			return registry.register(AsyncLock.create("code-lock"));
		}

		@Bean
		CodeLockUser codeLockUser(AsyncLock codeLock) {
			return new CodeLockUser();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager("prices");
		}

		@Bean
		Prices prices() {
			return new Prices();
		}

	}

	static class Prices {

		private final AtomicInteger loads = new AtomicInteger();

		@Guarded(value = "prices", timeout = "0")
		@Cacheable("prices")
		public int price(String sku) {
			return this.loads.incrementAndGet();
		}

		int loads() {
			return this.loads.get();
		}

	}

}
