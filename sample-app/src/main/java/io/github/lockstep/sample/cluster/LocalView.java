package io.github.lockstep.sample.cluster;

import java.util.List;
import java.util.Map;

import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.PrimitiveDescriptor;
import io.github.lockstep.sample.load.LoadStatus;

/**
 * What one instance shows of itself ({@code GET /cluster/local}): its primitives as its
 * {@code lockstep} endpoint describes them (cluster-wide for those on Redis), its own callers'
 * use of each, and its load.
 *
 * @param instance its name, {@code 127.0.0.1:8080}
 * @param primitives its endpoint's primitives
 * @param use its own holders and waiters, by primitive
 * @param load its load generator's status
 * @param canHalt whether it can be halted from the page (the {@code cluster} profile)
 * @param redisInstance its id in Redis, which its holds and queue places there carry; {@code null}
 * without primitives on Redis
 */
record LocalView(String instance, List<PrimitiveDescriptor> primitives, Map<String, LocalUse.Use> use,
		LoadStatus load, boolean canHalt, String redisInstance) {
}
