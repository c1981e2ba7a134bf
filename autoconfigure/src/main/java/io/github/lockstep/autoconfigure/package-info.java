/**
 * Spring Boot auto-configuration for Lockstep: {@link LockstepAutoConfiguration} makes the
 * {@code LockstepRegistry}, a bean for every primitive of {@code lockstep.*}
 * ({@link LockstepProperties}) and for every one that only an annotation names, and imports the
 * annotations' interceptor; the failure analyzers turn a bad configuration into a description of
 * the key and its fix.
 *
 * <p>Each concern beyond that has a subpackage with its own auto-configuration, active when its
 * library is on the class path: {@code metrics} (Micrometer), {@code endpoint} and {@code health}
 * (Actuator), {@code web} (Spring MVC, WebFlux), and {@code interceptor}, the annotations' call
 * path, which needs none of them.
 */
package io.github.lockstep.autoconfigure;
