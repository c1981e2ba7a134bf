package io.github.lockstep.sample.load;

import java.util.Map;

/**
 * Where a run of the {@link LoadGenerator} is.
 *
 * <pre>{@code
 * LoadStatus status = load.status();
 * log.info("{} calls, {} failed", status.totalCalls(), status.totalFailures());
 * }</pre>
 *
 * @param running whether any of its clients is still calling
 * @param elapsedMillis time since it started, until it ended
 * @param durationMillis how long it was asked to run
 * @param clients clients still calling
 * @param calls calls ended, by scenario
 * @param failures calls that failed, by scenario and exception
 */
public record LoadStatus(boolean running, long elapsedMillis, long durationMillis, int clients,
		Map<String, Long> calls, Map<String, Map<String, Long>> failures) {

	static final LoadStatus IDLE = new LoadStatus(false, 0, 0, 0, Map.of(), Map.of());

	/**
	 * Returns the calls ended in all scenarios.
	 * @return the sum of {@link #calls()}
	 */
	public long totalCalls() {
		return this.calls.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Returns the calls failed in all scenarios.
	 * @return the sum of {@link #failures()}
	 */
	public long totalFailures() {
		return this.failures.values()
			.stream()
			.flatMap((byType) -> byType.values().stream())
			.mapToLong(Long::longValue)
			.sum();
	}

}
