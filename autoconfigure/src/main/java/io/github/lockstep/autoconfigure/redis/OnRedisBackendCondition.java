package io.github.lockstep.autoconfigure.redis;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.lockstep.autoconfigure.LockstepProperties;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code lockstep.backend} or some primitive's {@code backend} is {@code redis}: an
 * application that keeps every primitive in memory opens no Redis connection for Lockstep.
 */
final class OnRedisBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		LockstepProperties properties = Binder.get(context.getEnvironment())
			.bind("lockstep", LockstepProperties.class)
			.orElseGet(LockstepProperties::new);
		if (isRedis(properties.getBackend())) {
			return ConditionOutcome.match("lockstep.backend is redis");
		}
		Optional<String> primitive = Stream
			.of(properties.getLocks(), properties.getSemaphores(), properties.getEvents(), properties.getConditions(),
					properties.getBarriers())
			.flatMap((entries) -> entries.entrySet().stream())
			.filter((entry) -> entry.getValue() != null && isRedis(entry.getValue().getBackend()))
			.map(Map.Entry::getKey)
			.findFirst();
		return primitive.map((name) -> ConditionOutcome.match("primitive '" + name + "' has backend redis"))
			.orElseGet(() -> ConditionOutcome.noMatch("no primitive has backend redis"));
	}

	private static boolean isRedis(String backend) {
		return backend != null && "redis".equals(backend.trim());
	}

}
