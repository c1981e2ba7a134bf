package io.github.lockstep.sample.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.lockstep.sample.bank.BankAccount;
import io.github.lockstep.sample.batch.BatchJob;
import io.github.lockstep.sample.cache.PriceCatalog;
import io.github.lockstep.sample.counter.VisitCounter;
import io.github.lockstep.sample.db.OrderRepository;
import io.github.lockstep.sample.subprocess.ReportRenderer;
import io.github.lockstep.sample.tickets.TicketOffice;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Drives every scenario at once for a given time, through the same Spring beans the controllers
 * call, with more clients than each primitive lets in, so that contention shows on the page and in
 * the metrics. Each client calls, waits for its answer, pauses a little and calls again, until the
 * time is up; a progress line is logged every 2 seconds.
 *
 * <pre>{@code
 * load.start(Duration.ofSeconds(30));   // POST /load?duration=30s
 * load.status().totalCalls();           // GET /load
 * }</pre>
 */
@Service
public class LoadGenerator implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LoadGenerator.class);

	private static final long PROGRESS_SECONDS = 2;

	private final OrderRepository orders;

	private final VisitCounter counter;

	private final BankAccount bank;

	private final PriceCatalog catalog;

	private final BatchJob batch;

	private final TicketOffice tickets;

	private final ReportRenderer renderer;

	private final MeterRegistry meters;

	private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(named("load-clock"));

	// the counter's method is synchronous: its clients need threads of their own
	private final ExecutorService counterClients = Executors.newFixedThreadPool(3, named("load-counter"));

	private LoadRun run;

	public LoadGenerator(OrderRepository orders, VisitCounter counter, BankAccount bank, PriceCatalog catalog,
			BatchJob batch, TicketOffice tickets, ReportRenderer renderer, MeterRegistry meters) {
		this.orders = orders;
		this.counter = counter;
		this.bank = bank;
		this.catalog = catalog;
		this.batch = batch;
		this.tickets = tickets;
		this.renderer = renderer;
		this.meters = meters;
	}

	/**
	 * Starts driving every scenario for {@code duration}.
	 * @param duration how long to run, between 1 second and 1 hour
	 * @return the new run's status
	 * @throws IllegalStateException if a run is still going
	 */
	public synchronized LoadStatus start(Duration duration) {
		if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("duration must be between 1s and 1h, but was " + duration);
		}
		if (this.run != null && !this.run.hasEnded()) {
			throw new IllegalStateException("A load is already running: wait for it to end, or stop it with DELETE /load");
		}
		LoadRun run = new LoadRun(duration);
		this.run = run;
		logger.info("Load started for {} s: every scenario at once", duration.toSeconds());
		for (int i = 0; i < 12; i++) {
			client(run, "db-pool", () -> this.orders.findOrder(between(1, 1000), millis(between(20, 80))), 5);
		}
		for (int i = 0; i < 3; i++) {
			client(run, "counter",
					() -> CompletableFuture.supplyAsync(() -> this.counter.increment(millis(2)), this.counterClients), 3);
		}
		// the depositor goes on until the last withdrawal has ended, so that none is left waiting for funds
		AtomicInteger withdrawing = new AtomicInteger(3);
		for (int i = 0; i < 3; i++) {
			client(run, "account", () -> this.bank.withdraw(between(10, 50), Duration.ofSeconds(2)), 50,
					run::isActive, withdrawing::decrementAndGet);
		}
		client(run, "account", () -> this.bank.deposit(between(30, 60)), 60,
				() -> run.isActive() || withdrawing.get() > 0, () -> {
				});
		for (String sku : new String[] { "apple", "pear", "plum", "apple" }) {
			client(run, "cache-warm", () -> this.catalog.price(sku), 20);
		}
		client(run, "cache-warm", () -> {
			this.catalog.refresh();
			return this.catalog.warmUp(millis(800));
		}, 2000);
		for (int i = 0; i < 2; i++) {
			client(run, "batch", this::batchOfFive, 300);
		}
		// each gives back exactly the ticket it took (the page has a button for one nobody took)
		for (int i = 0; i < 5; i++) {
			client(run, "tickets", () -> this.tickets.take(Duration.ofSeconds(1))
				.thenCompose((left) -> after(between(50, 150)))
				.thenApply((held) -> this.tickets.giveBack()), 20);
		}
		for (int i = 0; i < 4; i++) {
			client(run, "subprocesses", () -> this.renderer.render(millis(between(200, 400))), 0);
		}
		run.progress(this.clock.scheduleAtFixedRate(() -> logProgress(run), PROGRESS_SECONDS, PROGRESS_SECONDS,
				TimeUnit.SECONDS));
		return run.status();
	}

	/**
	 * Asks the current run to stop: each client ends once its call in progress has ended.
	 * @return the run's status
	 */
	public synchronized LoadStatus stop() {
		if (this.run != null) {
			this.run.stop();
		}
		return status();
	}

	/**
	 * Returns the current or last run's status.
	 * @return what has been done so far
	 */
	public synchronized LoadStatus status() {
		return (this.run != null) ? this.run.status() : LoadStatus.IDLE;
	}

	@Override
	public void destroy() {
		stop();
		this.clock.shutdownNow();
		this.counterClients.shutdownNow();
	}

	/** Five shards arriving 100 ms apart, so that the barrier's waiters show as they gather. */
	private CompletableFuture<Void> batchOfFive() {
		CompletableFuture<?>[] shards = new CompletableFuture<?>[5];
		for (int i = 0; i < shards.length; i++) {
			int shard = i;
			shards[i] = after(100L * i).thenCompose((arrived) -> this.batch.process(shard, millis(50)));
		}
		return CompletableFuture.allOf(shards);
	}

	private void client(LoadRun run, String scenario, Supplier<? extends CompletionStage<?>> call, long pauseMillis) {
		client(run, scenario, call, pauseMillis, run::isActive, () -> {
		});
	}

	/**
	 * Starts a client that calls, waits for the answer, pauses up to {@code pauseMillis} and calls
	 * again while {@code goOn} says so; then runs {@code ended}.
	 */
	private void client(LoadRun run, String scenario, Supplier<? extends CompletionStage<?>> call, long pauseMillis,
			BooleanSupplier goOn, Runnable ended) {
		run.clientStarted();
		next(run, scenario, call, pauseMillis, goOn, ended);
	}

	private void next(LoadRun run, String scenario, Supplier<? extends CompletionStage<?>> call, long pauseMillis,
			BooleanSupplier goOn, Runnable ended) {
		if (!goOn.getAsBoolean()) {
			ended.run();
			if (run.clientEnded()) {
				finished(run);
			}
			return;
		}
		CompletionStage<?> stage;
		try {
			stage = call.get();
		}
		catch (RuntimeException ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		stage.whenComplete((result, failure) -> {
			run.record(scenario, failure);
			this.clock.schedule(() -> next(run, scenario, call, pauseMillis, goOn, ended), between(0, pauseMillis),
					TimeUnit.MILLISECONDS);
		});
	}

	private void logProgress(LoadRun run) {
		// what the dashboards read: the lockstep.waiting gauge of every primitive
		Map<String, Integer> waiting = new TreeMap<>();
		for (Gauge gauge : this.meters.find("lockstep.waiting").gauges()) {
			int queued = (int) gauge.value();
			if (queued > 0) {
				waiting.put(gauge.getId().getTag("name"), queued);
			}
		}
		LoadStatus status = run.status();
		String when = run.isActive() ? (status.elapsedMillis() / 1000 + "/" + status.durationMillis() / 1000 + " s")
				: ("ending, " + status.clients() + " clients finishing their last call");
		logger.info("Load {}: {} calls, {} failed; waiting now: {}", when, status.totalCalls(), status.totalFailures(),
				waiting.isEmpty() ? "none" : waiting);
	}

	private void finished(LoadRun run) {
		LoadStatus status = run.status();
		logger.info("Load ended after {} s: {} calls {}, failures {}", status.elapsedMillis() / 1000,
				status.totalCalls(), status.calls(), status.failures());
	}

	private CompletableFuture<Void> after(long millis) {
		CompletableFuture<Void> due = new CompletableFuture<>();
		this.clock.schedule(() -> due.complete(null), millis, TimeUnit.MILLISECONDS);
		return due;
	}

	private static long between(long low, long high) {
		return (high > low) ? ThreadLocalRandom.current().nextLong(low, high + 1) : low;
	}

	private static Duration millis(long millis) {
		return Duration.ofMillis(millis);
	}

	private static ThreadFactory named(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
