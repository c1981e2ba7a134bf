package io.github.lockstep.autoconfigure.health;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.spring.BackendConnection;
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
 *   "longestQueues": [{"name": "payment-api", "kind": "semaphore", "waiting": 7}],
 *   "backends": {"memory": {"primitives": 4}, "redis": {"primitives": 1, "reachable": true}}}}
 * }</pre>
 *
 * <p>With a backend that keeps primitives elsewhere ({@link BackendConnection}, Redis), the
 * details count the primitives of each backend, and the status is DOWN while such a backend that
 * some primitive lives on is unreachable: every acquisition of those primitives fails then, as
 * Spring Boot's own {@code redis} contributor would report. Health groups decide whether that
 * takes an instance out of rotation (Kubernetes' readiness group leaves it out by default).
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

	private final List<BackendConnection> connections;

	/**
	 * Creates the health contributor of a registry's primitives.
	 * @param registry the primitives
	 * @param downOnBrokenBarrier whether a broken barrier turns the status DOWN; else it is only
	 * listed
	 */
	public LockstepHealthIndicator(LockstepRegistry registry, boolean downOnBrokenBarrier) {
		this(registry, downOnBrokenBarrier, List.of());
	}

	/**
	 * Creates the health contributor of a registry's primitives and of the connections to the
	 * backends that keep some of them elsewhere.
	 * @param registry the primitives
	 * @param downOnBrokenBarrier whether a broken barrier turns the status DOWN; else it is only
	 * listed
	 * @param connections the backends' connections: one that some primitive lives on and that is
	 * not reachable turns the status DOWN
	 */
	public LockstepHealthIndicator(LockstepRegistry registry, boolean downOnBrokenBarrier,
			List<BackendConnection> connections) {
		this.registry = registry;
		this.downOnBrokenBarrier = downOnBrokenBarrier;
		this.connections = List.copyOf(connections);
	}

	@Override
	public Health health() {
		List<AsyncPrimitive> primitives = List.copyOf(this.registry.all());
		List<String> brokenBarriers = new ArrayList<>();
		List<Queue> queues = new ArrayList<>();
		Map<String, Integer> perBackend = new TreeMap<>();
		for (AsyncPrimitive primitive : primitives) {
			this.registry.backend(primitive.name()).ifPresent((backend) -> perBackend.merge(backend, 1, Integer::sum));
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
		Map<String, Object> backends = new LinkedHashMap<>();
		boolean unreachable = false;
		for (Map.Entry<String, Integer> entry : perBackend.entrySet()) {
			Map<String, Object> backend = new LinkedHashMap<>();
			backend.put("primitives", entry.getValue());
			BackendConnection connection = connection(entry.getKey());
			if (connection != null) {
				boolean reachable = connection.isReachable();
				backend.put("reachable", reachable);
				unreachable |= !reachable;
			}
			backends.put(entry.getKey(), backend);
		}
		boolean down = unreachable || (this.downOnBrokenBarrier && !brokenBarriers.isEmpty());
		Health.Builder health = down ? Health.down() : Health.up();
		health.withDetail("primitives", primitives.size())
			.withDetail("brokenBarriers", brokenBarriers)
			.withDetail("longestQueues", longestQueues);
		if (!this.connections.isEmpty()) {
			health.withDetail("backends", backends);
		}
		return health.build();
	}

	private BackendConnection connection(String backend) {
		for (BackendConnection connection : this.connections) {
			if (connection.backend().equals(backend)) {
				return connection;
			}
		}
		return null;
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
