package io.github.lockstep.autoconfigure.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.spring.LockstepRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health contributor {@code lockstep}: how many primitives a {@link LockstepRegistry} has,
 * which barriers are broken, and the longest queues, from one
 * {@link AsyncPrimitive#state() state()} of each primitive. A broken barrier turns it DOWN only
 * when asked to ({@code lockstep.health.down-on-broken-barrier} in the auto-configuration), so
 * that a pod does not leave rotation for it by default.
 *
 * <pre>{@code
 * {"status": "UP", "details": {"primitives": 5, "brokenBarriers": [],
 *   "longestQueues": [{"name": "payment-api", "kind": "semaphore", "waiting": 7}]}}
 * }</pre>
 *
 * <p>Without Spring Boot's auto-configuration, declare it as a bean named
 * {@code lockstepHealthIndicator}, which Actuator shows as {@code lockstep}:
 * <pre>{@code
 * @Bean
 * LockstepHealthIndicator lockstepHealthIndicator(LockstepRegistry registry) {
 *     return new LockstepHealthIndicator(registry, false);
 * }
 * }</pre>
 */
public final class LockstepHealthIndicator implements HealthIndicator {

	/** How many of the longest queues the details list. */
	private static final int LONGEST_QUEUES = 5;

	private static final Comparator<Queue> LONGEST_FIRST = Comparator.comparingInt(Queue::waiting)
		.reversed()
		.thenComparing(Queue::name);

	private final LockstepRegistry registry;

	private final boolean downOnBrokenBarrier;

	/**
	 * Creates the health contributor of a registry's primitives.
	 * @param registry the primitives
	 * @param downOnBrokenBarrier whether a broken barrier turns the status DOWN; else it is only
	 * listed
	 */
	public LockstepHealthIndicator(LockstepRegistry registry, boolean downOnBrokenBarrier) {
		this.registry = registry;
		this.downOnBrokenBarrier = downOnBrokenBarrier;
	}

	@Override
	public Health health() {
		List<AsyncPrimitive> primitives = List.copyOf(this.registry.all());
		List<String> brokenBarriers = new ArrayList<>();
		List<Queue> queues = new ArrayList<>();
		for (AsyncPrimitive primitive : primitives) {
			PrimitiveState state = primitive.state();
			if (state.broken().orElse(false)) {
				brokenBarriers.add(state.name());
			}
			if (state.waiting() > 0) {
				queues.add(new Queue(state.name(), state.kind().word(), state.waiting()));
			}
		}
		List<Map<String, Object>> longestQueues = queues.stream()
			.sorted(LONGEST_FIRST)
			.limit(LONGEST_QUEUES)
			.map(Queue::toMap)
			.toList();
		Health.Builder health = (this.downOnBrokenBarrier && !brokenBarriers.isEmpty()) ? Health.down() : Health.up();
		return health.withDetail("primitives", primitives.size())
			.withDetail("brokenBarriers", brokenBarriers)
			.withDetail("longestQueues", longestQueues)
			.build();
	}

	private record Queue(String name, String kind, int waiting) {

		/** A map rather than the record: health details are serialized without reflection hints. */
		Map<String, Object> toMap() {
			Map<String, Object> map = new LinkedHashMap<>();
			map.put("name", this.name);
			map.put("kind", this.kind);
			map.put("waiting", this.waiting);
			return map;
		}

	}

}
