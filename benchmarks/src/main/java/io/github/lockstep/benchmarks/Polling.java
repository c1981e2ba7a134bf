package io.github.lockstep.benchmarks;

import java.util.concurrent.CompletableFuture;

import org.openjdk.jmh.infra.Control;

/**
 * How a benchmark thread waits for an async acquisition: as an event loop with nothing else to do,
 * it polls the future and never parks. It spins briefly, then yields, so that on a busy machine
 * the thread it waits for can run.
 */
final class Polling {

	private static final int SPINS = 128;

	private Polling() {
	}

	/**
	 * Waits until {@code acquisition} is done, or JMH ends the measurement.
	 * @param acquisition the future to wait for
	 * @param control JMH's control, or {@code null} to wait until done whatever happens
	 * @return whether the future is done
	 */
	static boolean await(CompletableFuture<?> acquisition, Control control) {
		int spins = 0;
		while (!acquisition.isDone()) {
			if (control != null && control.stopMeasurement) {
				return false;
			}
			if (++spins < SPINS) {
				Thread.onSpinWait();
			}
			else {
				Thread.yield();
			}
		}
		return true;
	}

}
