package io.github.lockstep.autoconfigure.interceptor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.BeanFactoryTransactionAttributeSourceAdvisor;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Guarded} with {@code @Transactional} on a real H2 database: by default Lockstep's advice
 * runs outside the transaction's, so the lock is still held when the transaction commits, and no
 * other caller can read the data between the commit and the release; with
 * {@code lockstep.interceptor-order} set inside the transaction advisor, the lock is released
 * before the commit.
 */
class GuardedTransactionOrderTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class))
		.withUserConfiguration(DatabaseConfiguration.class);

	@Test
	void byDefaultTheLockIsHeldUntilTheTransactionHasCommitted() {
		this.contextRunner.withUserConfiguration(DefaultOrderTransactions.class).run((context) -> {
			Reservations reservations = context.getBean(Reservations.class);
			assertThat(lockstepAdvisorIndex(reservations)).isLessThan(transactionAdvisorIndex(reservations));
			assertThat(reservations.reserve("sku-1")).containsExactly("in transaction: lock held",
					"before commit: lock held", "after commit: lock held", "after completion: lock held");
			assertThat(reservations.count()).isOne();
			assertThat(lock(context.getBean(LockstepRegistry.class)).isLocked()).isFalse();
		});
	}

	@Test
	void interceptorOrderInsideTheTransactionReleasesTheLockBeforeTheCommit() {
		this.contextRunner.withUserConfiguration(TransactionsFirst.class)
			.withPropertyValues("lockstep.interceptor-order=2147483647")
			.run((context) -> {
				Reservations reservations = context.getBean(Reservations.class);
				assertThat(lockstepAdvisorIndex(reservations)).isGreaterThan(transactionAdvisorIndex(reservations));
				assertThat(reservations.reserve("sku-1")).containsExactly("in transaction: lock held",
						"before commit: lock free", "after commit: lock free", "after completion: lock free");
				assertThat(reservations.count()).isOne();
			});
	}

	private static AsyncLock lock(LockstepRegistry registry) {
		return registry.lock("reservations").orElseThrow();
	}

	private static int lockstepAdvisorIndex(Object bean) {
		return indexOf(bean, LockstepAdvisor.class);
	}

	private static int transactionAdvisorIndex(Object bean) {
		return indexOf(bean, BeanFactoryTransactionAttributeSourceAdvisor.class);
	}

	private static int indexOf(Object bean, Class<?> type) {
		List<Advisor> advisors = List.of(((Advised) bean).getAdvisors());
		for (int i = 0; i < advisors.size(); i++) {
			if (type.isInstance(advisors.get(i))) {
				return i;
			}
		}
		throw new AssertionError("no " + type.getSimpleName() + " in " + advisors);
	}

	@Configuration(proxyBeanMethods = false)
	static class DatabaseConfiguration {

		@Bean
		EmbeddedDatabase dataSource() {
			return new EmbeddedDatabaseBuilder().generateUniqueName(true).setType(EmbeddedDatabaseType.H2).build();
		}

		@Bean
		DataSourceTransactionManager transactionManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.execute("create table reservation (sku varchar(50) not null)");
			return jdbc;
		}

		@Bean
		Reservations reservations(JdbcTemplate jdbc, LockstepRegistry registry) {
			return new Reservations(jdbc, registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement
	static class DefaultOrderTransactions {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(order = 0)
	static class TransactionsFirst {

	}

	static class Reservations {

		private final JdbcTemplate jdbc;

		private final LockstepRegistry registry;

		Reservations(JdbcTemplate jdbc, LockstepRegistry registry) {
			this.jdbc = jdbc;
			this.registry = registry;
		}

		/** Inserts a row, and returns whether the lock was held at each point of the transaction. */
		@Guarded("reservations")
		@Transactional
		public List<String> reserve(String sku) {
			List<String> observed = new CopyOnWriteArrayList<>();
			AsyncLock lock = lock(this.registry);
			this.jdbc.update("insert into reservation (sku) values (?)", sku);
			observed.add(observation("in transaction", lock));
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void beforeCommit(boolean readOnly) {
					observed.add(observation("before commit", lock));
				}

				@Override
				public void afterCommit() {
					observed.add(observation("after commit", lock));
				}

				@Override
				public void afterCompletion(int status) {
					observed.add(observation("after completion", lock));
				}

			});
			return observed;
		}

		public int count() {
			Integer count = this.jdbc.queryForObject("select count(*) from reservation", Integer.class);
			return (count != null) ? count : -1;
		}

		private static String observation(String when, AsyncLock lock) {
			return when + ": " + (lock.isLocked() ? "lock held" : "lock free");
		}

	}

}
