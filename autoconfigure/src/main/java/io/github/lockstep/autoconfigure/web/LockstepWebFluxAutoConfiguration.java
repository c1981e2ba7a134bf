package io.github.lockstep.autoconfigure.web;

import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration that ends a WebFlux request's pending Lockstep calls with the request: those
 * still waiting or running when the response's subscription is cancelled are cancelled (see
 * {@link LockstepWebProperties#isCancelOnRequestEnd()}). Off with
 * {@code lockstep.web.cancel-on-request-end=false}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, Mono.class })
@ConditionalOnBooleanProperty(name = "lockstep.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "lockstep.web.cancel-on-request-end", matchIfMissing = true)
@EnableConfigurationProperties(LockstepWebProperties.class)
public final class LockstepWebFluxAutoConfiguration {

	@Bean
	ReactiveRequestCalls lockstepReactiveRequestCalls() {
		return new ReactiveRequestCalls();
	}

}
