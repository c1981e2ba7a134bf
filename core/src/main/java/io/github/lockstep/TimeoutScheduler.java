package io.github.lockstep;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where an in-memory primitive's timed waits run out: the one dependency on time the primitives
 * have. It has the shape of {@link ScheduledExecutorService#schedule(Runnable, long, TimeUnit)},
 * so an executor is one ({@code executor::schedule}); tests give a manual one and advance it.
 *
 * <pre>{@code
 * ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
 * AsyncLock lock = new InMemoryLock("inventory", executor::schedule);
 * }</pre>
 *
 * <p>The task ends the wait and runs its continuations, on the thread the scheduler runs it on. A
 * wait that ends first cancels the returned future ({@code cancel(false)}); a scheduler should
 * then drop the task, as {@link java.util.concurrent.ScheduledThreadPoolExecutor#setRemoveOnCancelPolicy}
 * does, or a cancelled wait stays reachable until its time would have been up. A task that runs
 * after its wait ended does nothing.
 */
@FunctionalInterface
interface TimeoutScheduler {

	/**
	 * Runs {@code task} once after {@code delay}, unless the returned future is cancelled first.
	 * @param task ends a timed wait; never throws
	 * @param delay how long to wait, {@code > 0}
	 * @param unit the unit of {@code delay}
	 * @return a future whose {@code cancel(false)} gives the task up
	 */
	Future<?> schedule(Runnable task, long delay, TimeUnit unit);

	/**
	 * Returns the scheduler every primitive uses unless given another: one daemon thread, named
	 * {@code lockstep-timeouts}, started with the first timed wait.
	 * @return the shared scheduler
	 */
	static TimeoutScheduler shared() {
		return Timeouts.SHARED;
	}

}
