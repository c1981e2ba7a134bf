/**
 * The Actuator endpoint {@code lockstep} ({@link LockstepEndpoint}, with its HTTP side
 * {@link LockstepEndpointWebExtension}), usable without Spring Boot's auto-configuration, and
 * {@link LockstepEndpointAutoConfiguration}.
 */
package io.github.lockstep.autoconfigure.endpoint;
