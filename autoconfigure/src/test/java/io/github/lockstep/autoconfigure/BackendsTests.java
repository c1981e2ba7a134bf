package io.github.lockstep.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.PrimitiveFactory;
import io.github.lockstep.annotation.Guarded;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every primitive Lockstep creates comes from the {@link PrimitiveFactory} of its backend
 * ({@link Backends}): {@code lockstep.backend} for all, a primitive's own {@code backend} for it.
 */
class BackendsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class))
		.withPropertyValues("lockstep.locks.inventory.timeout=1s", "lockstep.semaphores.payment-api.permits=5",
				"lockstep.events.cache-warm.initially-set=true", "lockstep.conditions.account.lock=inventory",
				"lockstep.barriers.batch.parties=3")
		.withBean(Ledger.class);

	@Test
	void byDefaultEveryPrimitiveIsInMemory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Backends.class).defaultFactory()).isSameAs(PrimitiveFactory.inMemory());
		});
	}

	@Test
	void aFactoryBeanForMemoryReplacesTheInMemoryOneForEveryPrimitive() {
		Recording memory = new Recording("memory");
		this.contextRunner.withBean(PrimitiveFactory.class, () -> memory).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(memory.created).containsExactlyInAnyOrder("lock inventory", "semaphore payment-api 5 false",
					"event cache-warm", "barrier batch 3", "condition account over inventory", "lock ledger");
			assertThat(context.getBean("lockstep.event.cache-warm", AsyncEvent.class).isSet()).isTrue();
		});
	}

	@Test
	void lockstepBackendChoosesTheFactoryAndAPrimitivesOwnBackendOverridesIt() {
		Recording shared = new Recording("shared");
		this.contextRunner.withBean(PrimitiveFactory.class, () -> shared)
			.withPropertyValues("lockstep.backend=shared", "lockstep.semaphores.payment-api.backend=memory")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(shared.created).containsExactlyInAnyOrder("lock inventory", "event cache-warm",
						"barrier batch 3", "condition account over inventory", "lock ledger");
				assertThat(context.getBean(Backends.class).factory("memory", "key")).isSameAs(PrimitiveFactory.inMemory());
			});
	}

	@Test
	void redisWithoutItsModuleFailsStartupSayingWhatToAdd() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.backend=redis"),
				"lockstep.semaphores.payment-api.backend is 'redis', but no backend of that id is available.",
				"Add the dependency io.github.lockstep:lockstep-redis and a Redis connection (Spring Boot's"
						+ " spring-boot-starter-data-redis, with spring.data.redis.*), or set"
						+ " lockstep.semaphores.payment-api.backend to memory. The backends available are [memory].");
	}

	@Test
	void anUnknownDefaultBackendFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.backend=memroy"),
				"lockstep.backend is 'memroy', but no backend of that id is available.",
				"Name one of them, or define a PrimitiveFactory bean whose backend() is 'memroy'. The backends available"
						+ " are [memory].");
	}

	@Test
	void aConditionWhoseSharedLockIsOnAnotherBackendFailsStartup() {
		assertFailure(this.contextRunner.withBean(PrimitiveFactory.class, () -> new Recording("shared"))
			.withPropertyValues("lockstep.conditions.account.backend=shared"),
				"lockstep.conditions.account.lock is 'inventory', a lock on backend 'memory', but the condition is on"
						+ " backend 'shared': a condition can only wait on a lock that lives where it does.",
				"Put both on one backend (set lockstep.locks.inventory.backend and lockstep.conditions.account.backend"
						+ " alike), or remove lockstep.conditions.account.lock to give the condition a lock of its own.");
	}

	@Test
	void twoFactoriesForOneBackendFailStartup() {
		assertFailure(this.contextRunner.withBean("one", PrimitiveFactory.class, () -> new Recording("shared"))
			.withBean("two", PrimitiveFactory.class, () -> new Recording("shared")),
				"Two PrimitiveFactory beans (" + Recording.class.getName() + " and " + Recording.class.getName()
						+ ") are both for backend 'shared'.",
				"Keep one PrimitiveFactory bean per backend id.");
	}

	static class Ledger {

		@Guarded("ledger")
		CompletableFuture<Void> post() {
			return CompletableFuture.completedFuture(null);
		}

	}

	/** The in-memory primitives, under another backend id, recording what it was asked for. */
	static final class Recording implements PrimitiveFactory {

		private final String backend;

		final List<String> created = new CopyOnWriteArrayList<>();

		Recording(String backend) {
			this.backend = backend;
		}

		@Override
		public String backend() {
			return this.backend;
		}

		@Override
		public AsyncLock lock(String name) {
			this.created.add("lock " + name);
			return PrimitiveFactory.inMemory().lock(name);
		}

		@Override
		public AsyncSemaphore semaphore(String name, int permits, boolean bounded) {
			this.created.add("semaphore " + name + " " + permits + " " + bounded);
			return PrimitiveFactory.inMemory().semaphore(name, permits, bounded);
		}

		@Override
		public AsyncEvent event(String name) {
			this.created.add("event " + name);
			return PrimitiveFactory.inMemory().event(name);
		}

		@Override
		public AsyncCondition condition(String name) {
			this.created.add("condition " + name);
			return PrimitiveFactory.inMemory().condition(name);
		}

		@Override
		public AsyncCondition condition(String name, AsyncLock lock) {
			this.created.add("condition " + name + " over " + lock.name());
			return PrimitiveFactory.inMemory().condition(name, lock);
		}

		@Override
		public AsyncBarrier barrier(String name, int parties) {
			this.created.add("barrier " + name + " " + parties);
			return PrimitiveFactory.inMemory().barrier(name, parties);
		}

	}

}
