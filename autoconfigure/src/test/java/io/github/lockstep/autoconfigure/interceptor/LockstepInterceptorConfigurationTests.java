package io.github.lockstep.autoconfigure.interceptor;

import java.util.concurrent.Executor;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.spring.LockstepConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LockstepInterceptorConfiguration}, as Lockstep's auto-configuration imports it:
 * the keys it reads from the environment before the properties bean exists.
 */
class LockstepInterceptorConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	@Test
	void emptyAsyncExecutorResumesOnTheAdmittingThread() {
		this.contextRunner.withPropertyValues("lockstep.async-executor=")
			.run((context) -> assertThat(context.getBean(Resumption.class).executor()).isNull());
	}

	@Test
	void asyncExecutorNamesAnExecutorBean() {
		Executor direct = Runnable::run;
		this.contextRunner.withPropertyValues("lockstep.async-executor=resumer")
			.withBean("resumer", Executor.class, () -> direct)
			.run((context) -> assertThat(context.getBean(Resumption.class).executor()).isSameAs(direct));
	}

	@Test
	void asyncExecutorThatNamesNoBeanFailsStartup() {
		this.contextRunner.withPropertyValues("lockstep.async-executor=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(LockstepConfigurationException.class)
				.hasMessageContaining("lockstep.async-executor is 'missing'"));
	}

	@Test
	void interceptorOrderIsBoundWithRelaxedNames() {
		this.contextRunner.withPropertyValues("lockstep.interceptorOrder=7")
			.run((context) -> assertThat(context.getBean(LockstepAdvisor.class).getOrder()).isEqualTo(7));
	}

}
