/**
 * The health contributor {@code lockstep} ({@link LockstepHealthIndicator}), usable without
 * Spring Boot's auto-configuration, and {@link LockstepHealthContributorAutoConfiguration}.
 */
package io.github.lockstep.autoconfigure.health;
