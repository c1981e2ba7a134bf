package io.github.lockstep.autoconfigure.web;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.server.WebFilter;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the web auto-configurations bind a request's calls to it: in a Spring MVC application, in a
 * WebFlux one, and nowhere else, unless {@code lockstep.web.cancel-on-request-end=false}.
 */
class LockstepWebAutoConfigurationTests {

	private static final AutoConfigurations LOCKSTEP_WEB = AutoConfigurations.of(LockstepAutoConfiguration.class,
			LockstepWebMvcAutoConfiguration.class, LockstepWebFluxAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(LOCKSTEP_WEB);

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(LOCKSTEP_WEB);

	@Test
	void servletApplicationGetsTheFilterAndTheAsyncInterceptor() {
		this.servlet.run((context) -> {
			assertThat(context).hasSingleBean(ServletRequestCalls.class).doesNotHaveBean(ReactiveRequestCalls.class);
			assertThat(context.getBean(LockstepWebProperties.class).isCancelOnRequestEnd()).isTrue();
			AsyncSupportConfigurer async = new AsyncSupportConfigurer();
			context.getBeansOfType(WebMvcConfigurer.class).values()
				.forEach((configurer) -> configurer.configureAsyncSupport(async));
			assertThat(async).extracting("deferredResultInterceptors")
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.containsExactly(context.getBean(ServletRequestCalls.class));
		});
	}

	@Test
	void reactiveApplicationGetsTheWebFilter() {
		this.reactive.run((context) -> assertThat(context).hasSingleBean(ReactiveRequestCalls.class)
			.doesNotHaveBean(ServletRequestCalls.class)
			.hasSingleBean(LockstepWebProperties.class));
	}

	@Test
	void applicationThatIsNoWebApplicationGetsNeither() {
		new ApplicationContextRunner().withConfiguration(LOCKSTEP_WEB)
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRequestCalls.class)
				.doesNotHaveBean(ReactiveRequestCalls.class)
				.doesNotHaveBean(LockstepWebProperties.class));
	}

	@Test
	void cancelOnRequestEndFalseTurnsBothOff() {
		this.servlet.withPropertyValues("lockstep.web.cancel-on-request-end=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRequestCalls.class));
		this.reactive.withPropertyValues("lockstep.web.cancel-on-request-end=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveRequestCalls.class));
	}

	@Test
	void lockstepDisabledTurnsBothOff() {
		this.servlet.withPropertyValues("lockstep.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRequestCalls.class));
		this.reactive.withPropertyValues("lockstep.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveRequestCalls.class));
	}

	@Test
	void servletApplicationWithoutSpringMvcGetsNoFilter() {
		this.servlet.withClassLoader(new FilteredClassLoader(WebMvcConfigurer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServletRequestCalls.class));
	}

	@Test
	void reactiveApplicationWithoutSpringWebGetsNoWebFilter() {
		this.reactive.withClassLoader(new FilteredClassLoader(WebFilter.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReactiveRequestCalls.class));
	}

}
