package io.github.lockstep.autoconfigure;

import java.time.Duration;

import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ledger:}, {@code ledger: ~} and {@code ledger: {}} all mean "this primitive, with its
 * defaults" ({@link EmptyEntries}, {@link EmptyYamlEntries}), read from a YAML file that Spring
 * Boot loads as an application's own ({@code empty-entries.yml}).
 */
class EmptyEntriesTests {

	@Test
	void everySpellingOfAnEntryWithoutSettingsIsAPrimitiveWithItsDefaults() {
		try (ConfigurableApplicationContext context = start()) {
			for (String lock : new String[] { "bare", "tilde", "braces", "Mailer.send" }) {
				assertThat(context.getBean("lockstep.lock." + lock)).isInstanceOf(AsyncLock.class);
				assertThat(timeout(context, lock)).as(lock).isNull();
			}
			assertThat(context.getBean("lockstep.semaphore.sized", AsyncSemaphore.class).availablePermits()).isEqualTo(3);
			assertThat(context.getBean("lockstep.event.dotted")).isInstanceOf(AsyncEvent.class);
			assertThat(context.getBeansOfType(AsyncCondition.class)).isEmpty();
		}
	}

	@Test
	void anEmptyEntryOfAProfilesDocumentIsReadFromThatDocument() {
		try (ConfigurableApplicationContext context = start("spring.profiles.active=extra")) {
			assertThat(context.getBean("lockstep.condition.in-profile")).isInstanceOf(AsyncCondition.class);
			// the profile's document sets what the first one left empty
			assertThat(timeout(context, "bare")).isEqualTo(Duration.ofSeconds(2));
			assertThat(timeout(context, "braces")).isNull();
		}
	}

	@Test
	void settingsFromAnotherSourceStillApplyToAnEmptyEntry() {
		try (ConfigurableApplicationContext context = start("lockstep.locks.tilde.timeout=3s",
				"lockstep.locks.braces.timeout=4s")) {
			assertThat(timeout(context, "tilde")).isEqualTo(Duration.ofSeconds(3));
			assertThat(timeout(context, "braces")).isEqualTo(Duration.ofSeconds(4));
		}
	}

	@Test
	void aBarrierOrSemaphoreWrittenEmptyStillAsksForItsSize() {
		// {} keeps every default, and a barrier has no default size: the usual analysis, not Boot's converter error
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class))
			.withPropertyValues("lockstep.barriers.nested=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageStartingWith("lockstep.barriers.nested.parties is not set, and a barrier cannot work without it."));
	}

	@Test
	void anEmptyPropertyValueIsAnEntryWithoutSettings() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class))
			.withPropertyValues("lockstep.locks.ledger=", "lockstep.events.warm=", "lockstep.conditions.account=",
					"lockstep.semaphores.pool=", "lockstep.semaphores.pool.permits=2")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("lockstep.lock.ledger")).isInstanceOf(AsyncLock.class);
				assertThat(context.getBean("lockstep.event.warm", AsyncEvent.class).isSet()).isFalse();
				assertThat(context.getBean("lockstep.condition.account")).isInstanceOf(AsyncCondition.class);
				assertThat(context.getBean("lockstep.semaphore.pool", AsyncSemaphore.class).availablePermits()).isEqualTo(2);
			});
	}

	private static Duration timeout(ConfigurableApplicationContext context, String lock) {
		return context.getBean(LockstepProperties.class).getLocks().get(lock).getTimeout();
	}

	private static ConfigurableApplicationContext start(String... properties) {
		// the barrier written {} needs its size from somewhere: here, the command line
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties("spring.config.name=empty-entries")
			.run(with(properties, "--lockstep.barriers.nested.parties=2"));
	}

	private static String[] with(String[] properties, String extra) {
		String[] args = new String[properties.length + 1];
		for (int i = 0; i < properties.length; i++) {
			args[i] = "--" + properties[i];
		}
		args[properties.length] = extra;
		return args;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, LockstepAutoConfiguration.class })
	static class Application {

	}

}
