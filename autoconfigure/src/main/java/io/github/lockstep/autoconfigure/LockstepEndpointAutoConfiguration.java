package io.github.lockstep.autoconfigure;

import java.util.OptionalInt;
import java.util.OptionalLong;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.beans.factory.ObjectProvider;
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

	/** What is known without metrics: neither a semaphore's initial permits nor contention. */
	private static final PrimitiveFacts NO_FACTS = new PrimitiveFacts() {

		@Override
		public OptionalInt permits(String name) {
			return OptionalInt.empty();
		}

		@Override
		public OptionalLong contended(AsyncPrimitive primitive) {
			return OptionalLong.empty();
		}

	};

	@Bean
	@ConditionalOnMissingBean
	LockstepEndpoint lockstepEndpoint(LockstepRegistry registry, ObjectProvider<PrimitiveFacts> facts) {
		return new LockstepEndpoint(registry, facts.getIfAvailable(() -> NO_FACTS));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(LockstepEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	LockstepEndpointWebExtension lockstepEndpointWebExtension(LockstepEndpoint endpoint) {
		return new LockstepEndpointWebExtension(endpoint);
	}

}
