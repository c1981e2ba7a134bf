/**
 * Cluster-wide primitives on Redis ({@code lockstep-redis}): {@link LockstepRedisAutoConfiguration}
 * makes the {@code redis} backend over the application's Redis connection.
 */
package io.github.lockstep.autoconfigure.redis;
