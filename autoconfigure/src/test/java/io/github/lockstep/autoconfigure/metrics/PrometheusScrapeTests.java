package io.github.lockstep.autoconfigure.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.BarrierBrokenException;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.Gates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static io.github.lockstep.autoconfigure.Gates.DEADLINE;
import static io.github.lockstep.autoconfigure.Gates.awaitUntil;
import static io.github.lockstep.autoconfigure.Gates.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running application's {@code /actuator/prometheus}, scraped over HTTP after load that made
 * every kind of primitive wait, holds every series the Grafana dashboard queries (SPEC §5, §6),
 * with the labels its rows select on and the counts the load made.
 *
 * <p>The load runs once, before the tests, and scrapes twice: {@link #during} while every kind has
 * callers queued, {@link #after} once everything is let go and a barrier is left broken.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus",
				"management.metrics.tags.application=" + PrometheusScrapeTests.APPLICATION,
				"lockstep.locks.inventory.timeout=30s", "lockstep.semaphores.payment-api.permits=2",
				"lockstep.semaphores.payment-api.bounded=true", "lockstep.events.cache-warm.initially-set=false",
				"lockstep.conditions.ledger.timeout=30s", "lockstep.barriers.nightly-batch.parties=3" })
@AutoConfigureMetrics
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeTests {

	static final String APPLICATION = "lockstep-scrape";

	/** The primitive of each kind the load uses, by the {@code kind} tag's value. */
	private static final Map<String, String> NAMES = Map.of("lock", "inventory", "semaphore", "payment-api", "event",
			"cache-warm", "condition", "ledger", "barrier", "nightly-batch");

	private static final String OPEN_METRICS = "application/openmetrics-text;version=1.0.0";

	private static final String TEXT = "text/plain;version=0.0.4";

	// the selector of one series in PromQL, and the matchers between its braces
	private static final Pattern SELECTOR = Pattern.compile("(lockstep_[A-Za-z0-9_:]*)\\s*\\{([^}]*)}");

	private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private Warehouse warehouse;

	@Autowired
	private LockstepRegistry registry;

	private final HttpClient http = HttpClient.newHttpClient();

	private final ExecutorService callers = Executors.newFixedThreadPool(8, threads("scrape-caller-"));

	private Scrape during;

	private Scrape after;

	@BeforeAll
	void runLoad() {
		AsyncLock inventory = this.registry.lock("inventory").orElseThrow();
		AsyncSemaphore paymentApi = this.registry.semaphore("payment-api").orElseThrow();
		AsyncEvent cacheWarm = this.registry.event("cache-warm").orElseThrow();
		AsyncCondition ledger = this.registry.condition("ledger").orElseThrow();
		AsyncBarrier nightlyBatch = this.registry.barrier("nightly-batch").orElseThrow();
		Gates lockGates = this.warehouse.lockGates();
		Gates permitGates = this.warehouse.permitGates();

		// sync calls from several threads: 1 holds the lock and 2 queue; 2 hold permits and 3 queue
		List<CompletableFuture<Integer>> reserves = calls(3, this.warehouse::reserve);
		List<CompletableFuture<Integer>> payments = calls(5, this.warehouse::pay);
		List<CompletableFuture<Void>> lockHolders = List.of(lockGates.next());
		List<CompletableFuture<Void>> permitHolders = List.of(permitGates.next(), permitGates.next());
		awaitUntil(() -> inventory.queueLength() == 2, "two calls queue for the lock");
		awaitUntil(() -> paymentApi.queueLength() == 3, "three calls queue for a permit");

		// a timeout and a cancel of each
		assertThat(failureOf(this.warehouse.reserveOrGiveUp())).isInstanceOf(AcquireTimeoutException.class);
		assertThat(failureOf(this.warehouse.payOrGiveUp())).isInstanceOf(AcquireTimeoutException.class);
		CompletableFuture<Integer> withdrawnReserve = this.warehouse.reserveLater();
		CompletableFuture<Integer> withdrawnPayment = this.warehouse.payLater();
		assertThat(inventory.queueLength()).isEqualTo(3);
		assertThat(paymentApi.queueLength()).isEqualTo(4);
		assertThat(withdrawnReserve.cancel(true)).isTrue();
		assertThat(withdrawnPayment.cancel(true)).isTrue();
		assertThat(inventory.queueLength()).isEqualTo(2);
		assertThat(paymentApi.queueLength()).isEqualTo(3);

		// an event wait, a condition wait and two arrivals at the barrier, all still waiting
		CompletableFuture<String> cacheRead = this.warehouse.readCache();
		assertThat(ledger.acquire()).isDone();
		CompletableFuture<Void> signalled = ledger.await();
		List<CompletableFuture<Integer>> round = new ArrayList<>(List.of(this.warehouse.arrive(0), this.warehouse.arrive(1)));
		assertThat(List.of(cacheRead, signalled, round.get(0), round.get(1))).noneMatch(CompletableFuture::isDone);
		assertThat(cacheWarm.queueLength()).isOne();
		this.during = scrape(TEXT);

		// let everything go
		this.warehouse.warm();
		assertThat(cacheRead).succeedsWithin(DEADLINE).isEqualTo("warm");
		assertThat(cacheWarm.isSet()).isTrue();
		assertThat(ledger.acquire()).isDone();
		ledger.signal();
		ledger.release();
		assertThat(signalled).succeedsWithin(DEADLINE);
		ledger.release();
		round.add(this.warehouse.arrive(2));
		assertThat(Gates.resultsOf(round)).containsExactlyInAnyOrder(0, 1, 2);
		open(lockGates, lockHolders, 3);
		open(permitGates, permitHolders, 5);
		assertThat(Gates.resultsOf(reserves)).containsExactly(0, 1, 2);
		assertThat(Gates.resultsOf(payments)).containsExactly(0, 1, 2, 3, 4);

		// a broken round: two arrivals waiting when it is aborted, and one refused at once
		List<CompletableFuture<Integer>> broken = List.of(this.warehouse.arrive(3), this.warehouse.arrive(4));
		assertThat(broken).noneMatch(CompletableFuture::isDone);
		nightlyBatch.abort();
		broken.forEach((arrival) -> assertThat(failureOf(arrival)).isInstanceOf(BarrierBrokenException.class));
		assertThat(failureOf(this.warehouse.arrive(5))).isInstanceOf(BarrierBrokenException.class);
		this.after = scrape(TEXT);
	}

	@AfterAll
	void stopCallers() {
		this.callers.shutdownNow();
	}

	@Test
	void scrapeHasEverySeriesTheDashboardQueries() {
		Set<String> queried = DashboardQueries.load().seriesNames();
		assertThat(queried).isNotEmpty();
		for (Scrape scrape : List.of(this.after, scrape(OPEN_METRICS))) {
			Set<String> missing = new TreeSet<>(queried);
			missing.removeAll(scrape.seriesNames());
			assertThat(missing).as("series the dashboard queries but %s lacks", scrape.format()).isEmpty();
		}
	}

	@Test
	void eachKindsRowFindsItsSeriesWithTheLabelsItSelects() {
		DashboardQueries dashboard = DashboardQueries.load();
		NAMES.forEach((kind, name) -> {
			List<String> expressions = dashboard.rowExpressions(kind);
			assertThat(expressions).as("queries of the %s row", kind).isNotEmpty();
			for (String expression : expressions) {
				Matcher selector = SELECTOR.matcher(expression);
				int selectors = 0;
				while (selector.find()) {
					selectors++;
					Map<String, String> labels = exactMatchers(selector.group(2));
					assertThat(labels).as(expression).containsEntry("kind", kind);
					labels.put("name", name);
					labels.put("application", APPLICATION);
					assertThat(this.after.find(selector.group(1), labels)).as("%s%s in the scrape, for: %s",
							selector.group(1), labels, expression)
						.isNotEmpty();
				}
				assertThat(selectors).as(expression).isPositive();
			}
		});
	}

	/**
	 * Every label a dashboard query groups by or matches on is one the application exports, or one
	 * that Prometheus adds to every sample at scrape time ({@link DashboardQueries#SCRAPE_LABELS}:
	 * {@code instance}, {@code job}); the application exports neither of those, which Prometheus
	 * would otherwise rename to {@code exported_instance}.
	 */
	@Test
	void dashboardUsesOnlyExportedLabelsAndThoseAddedAtScrapeTime() {
		Set<String> exported = new TreeSet<>();
		this.after.samples()
			.stream()
			.filter((sample) -> sample.series().startsWith("lockstep_"))
			.forEach((sample) -> exported.addAll(sample.labels().keySet()));
		assertThat(exported).doesNotContainAnyElementsOf(DashboardQueries.SCRAPE_LABELS);
		Set<String> known = new TreeSet<>(exported);
		known.addAll(DashboardQueries.SCRAPE_LABELS);
		Set<String> used = DashboardQueries.load().labelNames();
		assertThat(used).contains("instance", "name", "kind", "application");
		assertThat(used).as("labels the dashboard uses, beside those exported (%s) or added at scrape time", exported)
			.isSubsetOf(known);
	}

	@Test
	void everyLockstepSampleCarriesNameKindAndApplication() {
		List<Sample> lockstep = this.after.samples().stream().filter((sample) -> sample.series().startsWith("lockstep_")).toList();
		assertThat(lockstep).isNotEmpty().allSatisfy((sample) -> assertThat(sample.labels()).as(sample.toString())
			.containsEntry("application", APPLICATION)
			.containsKey("name")
			.containsEntry("kind", kindOf(sample.labels().get("name"))));
	}

	@Test
	void gaugesShowCallersQueuedDuringTheLoad() {
		assertThat(this.during.value("lockstep_waiting", "lock")).isEqualTo(2);
		assertThat(this.during.value("lockstep_locked", "lock")).isEqualTo(1);
		assertThat(this.during.value("lockstep_waiting", "semaphore")).isEqualTo(3);
		assertThat(this.during.value("lockstep_permits_available", "semaphore")).isZero();
		assertThat(this.during.value("lockstep_locked", "semaphore")).isEqualTo(1);
		assertThat(this.during.value("lockstep_waiting", "event")).isEqualTo(1);
		assertThat(this.during.value("lockstep_event_set", "event")).isZero();
		assertThat(this.during.value("lockstep_waiting", "condition")).isEqualTo(1);
		assertThat(this.during.value("lockstep_locked", "condition")).isZero();
		assertThat(this.during.value("lockstep_waiting", "barrier")).isEqualTo(2);
		assertThat(this.during.value("lockstep_barrier_broken", "barrier")).isZero();
	}

	@Test
	void gaugesShowEverythingLetGoAfterTheLoad() {
		for (String kind : NAMES.keySet()) {
			assertThat(this.after.value("lockstep_waiting", kind)).as(kind).isZero();
		}
		assertThat(this.after.value("lockstep_locked", "lock")).isZero();
		assertThat(this.after.value("lockstep_permits_available", "semaphore")).isEqualTo(2);
		assertThat(this.after.value("lockstep_locked", "semaphore")).isZero();
		assertThat(this.after.value("lockstep_event_set", "event")).isEqualTo(1);
		assertThat(this.after.value("lockstep_locked", "condition")).isZero();
		assertThat(this.after.value("lockstep_barrier_broken", "barrier")).isEqualTo(1);
	}

	/**
	 * Lock: 2 sync calls queued behind the first, 1 timed out, 1 cancelled; 3 held. Semaphore: 3
	 * behind the first 2, 1 timed out, 1 cancelled; 5 held.
	 */
	@Test
	void countsOfTheLockAndTheSemaphoreAreWhatTheLoadMade() {
		assertWaits("lock", 4, 2, 1, 1, 0);
		assertThat(this.after.value("lockstep_held_seconds_count", "lock")).isEqualTo(3);
		assertThat(this.after.value("lockstep_held_seconds_sum", "lock")).isPositive();
		assertWaits("semaphore", 5, 3, 1, 1, 0);
		assertThat(this.after.value("lockstep_held_seconds_count", "semaphore")).isEqualTo(5);
		assertThat(this.after.value("lockstep_held_seconds_sum", "semaphore")).isPositive();
	}

	/**
	 * Event: 1 wait, ended by the set. Condition: the wait for the signal and the signalled
	 * waiter's wait for the lock the signaller held; held by the first acquire (until its await),
	 * the signaller and the woken waiter. Barrier: 2 arrivals that waited for the third, 2 broken by
	 * the abort and 1 refused by the broken barrier.
	 */
	@Test
	void countsOfTheEventTheConditionAndTheBarrierAreWhatTheLoadMade() {
		assertWaits("event", 1, 1, 0, 0, 0);
		assertWaits("condition", 2, 2, 0, 0, 0);
		assertThat(this.after.value("lockstep_held_seconds_count", "condition")).isEqualTo(3);
		assertWaits("barrier", 5, 2, 0, 0, 3);
	}

	@Test
	void histogramBucketsCountEveryWait() {
		Map<String, String> labels = labels("semaphore");
		labels.put("outcome", "acquired");
		labels.put("le", "+Inf");
		assertThat(this.after.find("lockstep_wait_seconds_bucket", labels)).singleElement()
			.extracting(Sample::value)
			.isEqualTo(3.0);
		assertThat(this.after.find("lockstep_wait_seconds_bucket", labels("semaphore"))).hasSizeGreaterThan(4 * 2);
	}

	private void assertWaits(String kind, int contended, int acquired, int timeout, int cancelled, int broken) {
		assertThat(this.after.value("lockstep_contended_total", kind)).as("%s contended", kind).isEqualTo(contended);
		Map<String, Double> outcomes = new HashMap<>(Map.of("acquired", (double) acquired, "timeout",
				(double) timeout, "cancelled", (double) cancelled));
		Map<String, String> brokenLabels = labels(kind);
		brokenLabels.put("outcome", "broken");
		if (kind.equals("barrier")) {
			outcomes.put("broken", (double) broken);
		}
		else {
			// only a barrier breaks, so only a barrier has the series
			assertThat(broken).isZero();
			assertThat(this.after.find("lockstep_wait_seconds_count", brokenLabels)).as("%s broken waits", kind).isEmpty();
		}
		outcomes.forEach((outcome, count) -> {
			Map<String, String> labels = labels(kind);
			labels.put("outcome", outcome);
			assertThat(this.after.value("lockstep_wait_seconds_count", labels)).as("%s waits %s", kind, outcome)
				.isEqualTo(count);
		});
		Map<String, String> acquiredLabels = labels(kind);
		acquiredLabels.put("outcome", "acquired");
		assertThat(this.after.value("lockstep_wait_seconds_max", acquiredLabels)).as("%s longest wait", kind)
			.isPositive();
	}

	private static Map<String, String> labels(String kind) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("kind", kind);
		labels.put("name", NAMES.get(kind));
		return labels;
	}

	private static String kindOf(String name) {
		return NAMES.entrySet().stream().filter((entry) -> entry.getValue().equals(name))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElseThrow(() -> new AssertionError("a primitive the load did not use: " + name));
	}

	/** The labels a selector fixes with {@code =}; regular expressions over variables match anything. */
	private static Map<String, String> exactMatchers(String matchers) {
		Map<String, String> labels = new LinkedHashMap<>();
		Matcher matcher = MATCHER.matcher(matchers);
		while (matcher.find()) {
			if (matcher.group(2).equals("=")) {
				labels.put(matcher.group(1), matcher.group(3));
			}
			else {
				assertThat(matcher.group(2)).as(matchers).isEqualTo("=~");
				assertThat(matcher.group(3)).as(matchers).startsWith("$");
			}
		}
		return labels;
	}

	private <T> List<CompletableFuture<T>> calls(int count, IntFunction<T> call) {
		return IntStream.range(0, count).mapToObj((i) -> CompletableFuture.supplyAsync(() -> call.apply(i), this.callers))
			.toList();
	}

	/** Opens the gates of the calls holding, then of each call let in after them, until {@code total}. */
	private static void open(Gates gates, List<CompletableFuture<Void>> holders, int total) {
		holders.forEach((gate) -> gate.complete(null));
		for (int i = holders.size(); i < total; i++) {
			gates.next().complete(null);
		}
	}

	private Scrape scrape(String accept) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/actuator/prometheus"))
			.header("Accept", accept)
			.timeout(DEADLINE)
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("GET /actuator/prometheus (%s)", accept).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith(accept.substring(0, accept.indexOf(';'))));
			return Scrape.parse(accept, response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger threads = new AtomicInteger();
		return (task) -> new Thread(task, prefix + threads.incrementAndGet());
	}

	/** One sample line of the exposition: {@code series{label="value",…} value}. */
	record Sample(String series, Map<String, String> labels, double value) {

	}

	/** The samples of one scrape, in one of the text formats. */
	record Scrape(String format, List<Sample> samples) {

		private static final Pattern LINE = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?");

		private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

		static Scrape parse(String format, String body) {
			List<Sample> samples = new ArrayList<>();
			for (String line : body.split("\n")) {
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				Matcher matcher = LINE.matcher(line);
				assertThat(matcher.matches()).as("a sample line: %s", line).isTrue();
				Map<String, String> labels = new LinkedHashMap<>();
				if (matcher.group(2) != null) {
					Matcher label = LABEL.matcher(matcher.group(2));
					while (label.find()) {
						labels.put(label.group(1), label.group(2));
					}
				}
				samples.add(new Sample(matcher.group(1), labels, value(matcher.group(3))));
			}
			return new Scrape(format, samples);
		}

		private static double value(String text) {
			return switch (text) {
				case "+Inf" -> Double.POSITIVE_INFINITY;
				case "-Inf" -> Double.NEGATIVE_INFINITY;
				case "NaN" -> Double.NaN;
				default -> Double.parseDouble(text);
			};
		}

		Set<String> seriesNames() {
			Set<String> names = new TreeSet<>();
			this.samples.forEach((sample) -> names.add(sample.series()));
			return names;
		}

		/** The samples of {@code series} whose labels include {@code labels}. */
		List<Sample> find(String series, Map<String, String> labels) {
			return this.samples.stream()
				.filter((sample) -> sample.series().equals(series))
				.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
				.toList();
		}

		/** The value of the one sample of {@code series} for the load's primitive of {@code kind}. */
		double value(String series, String kind) {
			return value(series, labels(kind));
		}

		double value(String series, Map<String, String> labels) {
			List<Sample> found = find(series, labels);
			assertThat(found).as("%s%s in the %s scrape", series, labels, this.format).hasSize(1);
			return found.get(0).value();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ScrapedApplication {

		@Bean
		Warehouse warehouse() {
			return new Warehouse();
		}

	}

	/** Annotated calls on the configured primitives; the sync ones wait at a gate the test opens. */
	static class Warehouse {

		private final Gates lockGates = new Gates();

		private final Gates permitGates = new Gates();

		// the test reaches the gates through these: fields of the proxy it holds are not the target's
		public Gates lockGates() {
			return this.lockGates;
		}

		public Gates permitGates() {
			return this.permitGates;
		}

		@Guarded("inventory")
		public int reserve(int call) {
			return this.lockGates.hold(call).join();
		}

		@Guarded(value = "inventory", timeout = "50ms")
		public CompletableFuture<Integer> reserveOrGiveUp() {
			return CompletableFuture.completedFuture(-1);
		}

		@Guarded("inventory")
		public CompletableFuture<Integer> reserveLater() {
			return CompletableFuture.completedFuture(-1);
		}

		@Throttled("payment-api")
		public int pay(int call) {
			return this.permitGates.hold(call).join();
		}

		@Throttled(value = "payment-api", timeout = "50ms")
		public CompletableFuture<Integer> payOrGiveUp() {
			return CompletableFuture.completedFuture(-1);
		}

		@Throttled("payment-api")
		public CompletableFuture<Integer> payLater() {
			return CompletableFuture.completedFuture(-1);
		}

		@AwaitEvent("cache-warm")
		public CompletableFuture<String> readCache() {
			return CompletableFuture.completedFuture("warm");
		}

		@SetEvent("cache-warm")
		public void warm() {
		}

		@AwaitBarrier("nightly-batch")
		public CompletableFuture<Integer> arrive(int call) {
			return CompletableFuture.completedFuture(call);
		}

	}

}
