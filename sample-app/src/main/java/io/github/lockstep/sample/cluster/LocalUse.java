package io.github.lockstep.sample.cluster;

import java.util.Map;
import java.util.function.IntSupplier;

import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.sample.counter.VisitCounter;
import io.github.lockstep.sample.db.OrderRepository;
import io.github.lockstep.sample.subprocess.ReportRenderer;
import io.github.lockstep.sample.tickets.TicketOffice;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * What this instance's own callers do with each primitive, whatever its backend: on Redis the
 * endpoint shows the cluster-wide state, and this the instance's share of it.
 *
 * <ul>
 * <li><b>waiting</b>: this instance's queued waits, from its meters: the waits that had to queue
 * ({@code lockstep.contended}) less those that ended ({@code lockstep.wait}'s counts).
 * <li><b>holding</b>: for the permits and the lock, this instance's calls inside, as each scenario
 * counts them (queries running, processes running, tickets taken, increments under way).
 * </ul>
 */
@Component
class LocalUse {

	private final MeterRegistry meters;

	private final Map<String, IntSupplier> holding;

	LocalUse(MeterRegistry meters, OrderRepository orders, ReportRenderer renderer, TicketOffice tickets,
			VisitCounter counter) {
		this.meters = meters;
		this.holding = Map.of("db-pool", orders::inFlight, "subprocesses", renderer::running, "tickets",
				tickets::taken, "counter", counter::holding);
	}

	/**
	 * Returns this instance's use of a primitive.
	 * @param name the primitive's name
	 * @return its holders here (unknown for the kinds that are not held) and its waiters here
	 */
	Use of(String name) {
		IntSupplier holders = this.holding.get(name);
		return new Use((holders != null) ? holders.getAsInt() : null, waiting(name));
	}

	private int waiting(String name) {
		FunctionCounter contended = this.meters.find(LockstepMetrics.CONTENDED).tag("name", name).functionCounter();
		if (contended == null) {
			return 0;
		}
		long ended = 0;
		for (Timer wait : this.meters.find(LockstepMetrics.WAIT).tag("name", name).timers()) {
			ended += wait.count();
		}
		return (int) Math.max(0, (long) contended.count() - ended);
	}

	/**
	 * One instance's use of one primitive.
	 * @param holding its calls holding the lock or a permit, or {@code null} for kinds not held
	 * @param waiting its callers queued
	 */
	record Use(Integer holding, int waiting) {
	}

}
