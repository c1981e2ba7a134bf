package io.github.lockstep.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration that ends a Spring MVC request's pending Lockstep calls with the request:
 * those still waiting or running when an async request times out, or gets an error before its
 * result, are cancelled (see {@link LockstepWebProperties#isCancelOnRequestEnd()}). Off with
 * {@code lockstep.web.cancel-on-request-end=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ WebMvcConfigurer.class, jakarta.servlet.Filter.class })
@ConditionalOnBooleanProperty(name = "lockstep.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "lockstep.web.cancel-on-request-end", matchIfMissing = true)
@EnableConfigurationProperties(LockstepWebProperties.class)
public final class LockstepWebMvcAutoConfiguration {

	/** Registered by Spring Boot as a filter of every request, and as an async interceptor below. */
	@Bean
	ServletRequestCalls lockstepServletRequestCalls() {
		return new ServletRequestCalls();
	}

	@Bean
	WebMvcConfigurer lockstepRequestCallsConfigurer(ServletRequestCalls calls) {
		return new WebMvcConfigurer() {
			@Override
			public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
				configurer.registerDeferredResultInterceptors(calls);
			}
		};
	}

}
