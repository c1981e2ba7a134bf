package io.github.lockstep.autoconfigure.redis;

import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.redis.RedisPrimitives;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The counter {@code lockstep.leases.lost} of the Redis backend ({@link LockstepMetrics#LEASES_LOST}):
 * read from {@link RedisPrimitives#lostLeases()} when scraped, so it costs nothing in between.
 */
final class RedisLeaseMetrics implements MeterBinder {

	private final RedisPrimitives primitives;

	RedisLeaseMetrics(RedisPrimitives primitives) {
		this.primitives = primitives;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(LockstepMetrics.LEASES_LOST, this.primitives, RedisPrimitives::lostLeases)
			.tag("backend", this.primitives.backend())
			.description("Holds of this instance whose lease was lost: another caller may have been granted the"
					+ " permit while they were still in use")
			.register(registry);
	}

}
