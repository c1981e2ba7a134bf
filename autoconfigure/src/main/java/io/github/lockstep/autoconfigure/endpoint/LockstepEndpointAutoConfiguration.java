package io.github.lockstep.autoconfigure.endpoint;

import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the Actuator endpoint {@code lockstep} ({@link LockstepEndpoint}), when
 * Actuator is on the class path and the endpoint is available
 * ({@code management.endpoints.web.exposure.include=lockstep}).
 */
@AutoConfiguration(after = LockstepAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(LockstepRegistry.class)
@ConditionalOnAvailableEndpoint(LockstepEndpoint.class)
public final class LockstepEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LockstepEndpoint lockstepEndpoint(LockstepRegistry registry) {
		return new LockstepEndpoint(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(LockstepEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	LockstepEndpointWebExtension lockstepEndpointWebExtension(LockstepEndpoint endpoint) {
		return new LockstepEndpointWebExtension(endpoint);
	}

}
