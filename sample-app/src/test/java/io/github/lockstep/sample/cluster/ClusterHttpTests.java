package io.github.lockstep.sample.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.github.lockstep.redis.RedisServer;
import io.github.lockstep.sample.Chromium;
import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import io.github.lockstep.sample.db.OrderRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The sample as a cluster, over real HTTP, on one real {@code redis-server} ({@link RedisServer}:
 * skipped without one, failed under {@code -Dlockstep.redis.required=true}): two application
 * contexts of this JVM, {@code a} and {@code b}, and a third instance in a process of its own,
 * {@code crashing}, that is halted as {@code kill -9} would. All on 127.0.0.1, with a short lease.
 *
 * <p>The tests run in order: the load over both, what {@code a}'s cluster view and its page in
 * headless {@link Chromium} show, the crash of the third instance, and last the close of {@code b}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterHttpTests {

	/** Short, so that a crashed instance's permits come back soon; long enough for a loaded machine. */
	static final Duration LEASE = Duration.ofSeconds(3);

	/** How long an instance may take to start on a loaded 2-core machine. */
	private static final Duration STARTUP = Duration.ofMinutes(4);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/** The queries running in both contexts of this JVM at once, as their repositories report them. */
	static final PoolWatcher pool = new PoolWatcher();

	static int[] ports;

	private static Process crashing;

	private static Path crashingLog;

	static ConfigurableApplicationContext a;

	static ConfigurableApplicationContext b;

	static SampleClient toA;

	static SampleClient toB;

	@BeforeAll
	static void startTheCluster() throws IOException {
		ports = freePorts(3);
		// the process boots while the two contexts start
		crashing = startProcess(ports[2], peers(ports[0]));
		a = start(ports[0], peers(ports[1], ports[2]));
		b = start(ports[1], peers(ports[0]));
		toA = new SampleClient(ports[0]);
		toB = new SampleClient(ports[1]);
	}

	@AfterAll
	static void stopTheCluster() throws InterruptedException {
		try {
			for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { a, b }) {
				if (context != null) {
					context.close();
				}
			}
		}
		finally {
			if (crashing != null && crashing.isAlive()) {
				crashing.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	@Order(1)
	void dbPoolAdmitsFiveAcrossBothInstancesUnderLoad() {
		toA.send("POST", "/load?duration=6s").join().withStatus(202);
		poll(() -> toB.get("/load").ok(), (load) -> load.path("running").asBoolean(), Duration.ofSeconds(10),
				"the load started on b by a");
		// the cluster view, read while the load runs: Redis's holders of one moment, shared out
		int views = 0;
		int shared = 0;
		JsonNode view = toA.get("/cluster").ok();
		while (toA.get("/load").ok().path("running").asBoolean()) {
			int inA = redisShare(view, "a", "db-pool", "holding");
			int inB = redisShare(view, "b", "db-pool", "holding");
			assertThat(inA + inB).as("db-pool holders in a's cluster view: %s", view.path("redis")).isLessThanOrEqualTo(5);
			views++;
			shared += (inA > 0 && inB > 0) ? 1 : 0;
			view = toA.get("/cluster").ok();
		}
		assertThat(views).isPositive();
		assertThat(shared).as("views with holders in both a and b, of %d", views).isPositive();
		for (SampleClient instance : List.of(toA, toB)) {
			poll(() -> instance.get("/load").ok(), (load) -> !load.path("running").asBoolean(), Duration.ofSeconds(60),
					"the load to end");
		}
		loadEndedOnTheThirdInstance();
		// per instance, 5 each could run: 24 clients keep both pools full
		assertThat(pool.peak()).as("queries running in a and b at once").isBetween(1, 5);
		assertThat(pool.now()).isZero();
		for (SampleClient instance : List.of(toA, toB)) {
			JsonNode load = instance.get("/load").ok();
			assertThat(load.path("calls").path("db-pool").asLong()).as("db-pool calls: %s", load).isPositive();
			assertThat(load.path("failures").has("db-pool")).as("db-pool failures: %s", load).isFalse();
			assertThat(instance.get("/db").ok().path("peakInFlight").asInt()).isBetween(1, 5);
		}
		JsonNode dbPool = toA.awaitPrimitive("db-pool",
				(state) -> state.path("available").asInt() == 5 && state.path("waiting").asInt() == 0,
				"every permit back, as a's next renewal tells it");
		assertThat(dbPool.path("backend").asString()).isEqualTo("redis");
	}

	@Test
	@Order(2)
	void clusterViewShowsEachInstancesShareOfTheClusterWidePool() {
		List<CompletableFuture<Reply>> queries = new ArrayList<>();
		queries.addAll(toA.sendAll(3, "GET", (i) -> "/db/orders/" + i + "?latency=3s"));
		queries.addAll(toB.sendAll(2, "GET", (i) -> "/db/orders/" + i + "?latency=3s"));
		// the cluster-wide figures are a's latest news from Redis: at most a renewal (a third of the lease) old
		JsonNode cluster = poll(() -> toA.get("/cluster").ok(),
				(view) -> holding(view, "a", "db-pool") == 3 && holding(view, "b", "db-pool") == 2
						&& dbPool(view, "a").path("available").asInt() == 0 && dbPool(view, "b").path("available").asInt() == 0,
				Duration.ofSeconds(20), "a's cluster view: 3 queries in a, 2 in b, no permit free in either's view");
		JsonNode self = instance(cluster, "a");
		assertThat(self.path("view").path("canHalt").asBoolean()).isTrue();
		SampleClient.answersOf(queries).forEach(Reply::ok);
	}

	@Test
	@Order(3)
	@DisabledIfSystemProperty(named = "lockstep.browser.skip", matches = "true",
			disabledReason = "skipped with -Dlockstep.browser.skip=true")
	void pageShowsBothInstancesAndTheirHoldersUnderLoad() throws IOException {
		ChromeDriver driver = Chromium.start();
		try {
			driver.get("http://127.0.0.1:" + ports[0] + "/");
			until(driver, Duration.ofSeconds(20), "a and b up in the instances bar",
					(page) -> "true".equals(attribute(page, "#instances [data-instance='" + name("a") + "']", "data-up"))
							&& "true".equals(attribute(page, "#instances [data-instance='" + name("b") + "']", "data-up")));
			assertThat(driver.findElement(By.cssSelector("[data-primitive='db-pool'] .backend")).getText())
				.startsWith("On Redis");
			driver.findElement(By.id("load-start")).click();
			until(driver, Duration.ofSeconds(20), "db-pool holders in both a and b, 5 at most in all", (page) -> {
				Map<String, Long> shown = holdingShown(driver);
				assertThat(shown.values().stream().mapToLong(Long::longValue).sum()).as("db-pool holders shown: %s", shown)
					.isLessThanOrEqualTo(5);
				return shown.getOrDefault(name("a"), 0L) > 0 && shown.getOrDefault(name("b"), 0L) > 0;
			});
			Files.write(Chromium.buildDirectory().resolve("cluster-page-under-load.png"),
					driver.getScreenshotAs(OutputType.BYTES));
			driver.findElement(By.id("load-stop")).click();
		}
		finally {
			driver.quit();
		}
		for (SampleClient instance : List.of(toA, toB)) {
			poll(() -> instance.get("/load").ok(), (load) -> !load.path("running").asBoolean(), Duration.ofSeconds(30),
					"the load stopped from a's page");
		}
		loadEndedOnTheThirdInstance();
	}

	@Test
	@Order(4)
	void aCrashedInstanceGivesItsPermitsBackWithinTheLease() throws InterruptedException {
		SampleClient toCrashing = new SampleClient(ports[2]);
		poll(() -> status(toCrashing, "/actuator/health"), (status) -> status == 200, STARTUP,
				"the third instance to start (log: " + crashingLog + ")");
		loadEndedOnTheThirdInstance();
		List<CompletableFuture<Reply>> held = toCrashing.sendAll(5, "GET", (i) -> "/db/orders/" + i + "?latency=10s");
		poll(() -> toA.get("/cluster").ok(), (view) -> holding(view, "crashing", "db-pool") == 5,
				Duration.ofSeconds(20), "a's view: the third instance holding all 5 permits");
		CompletableFuture<Reply> waiting = toA.send("GET", "/db/orders/99?latency=10ms");
		poll(() -> toA.get("/cluster/local").ok(), (view) -> view.path("use").path("db-pool").path("waiting").asInt() == 1,
				Duration.ofSeconds(10), "a's query queued");
		assertThat(waiting).isNotDone();

		assertThat(redisShare(toA.get("/cluster").ok(), "crashing", "db-pool", "holding")).isEqualTo(5);
		toA.post("/cluster/halt?peer=http://127.0.0.1:" + ports[2]).withStatus(202);
		assertThat(crashing.waitFor(20, TimeUnit.SECONDS)).as("the third instance halted").isTrue();
		long haltedAt = System.nanoTime();
		assertThat(crashing.exitValue()).isEqualTo(137);

		// its 5 queries never end: only the lease's end gives their permits back
		assertThat(waiting).succeedsWithin(LEASE.plusSeconds(5));
		waiting.join().ok();
		Duration after = Duration.ofNanos(System.nanoTime() - haltedAt);
		assertThat(after).as("from the halt to a's admission").isLessThan(LEASE.plusSeconds(5));
		assertThat(held).allMatch(CompletableFuture::isDone);
		JsonNode cluster = toA.get("/cluster").ok();
		assertThat(instance(cluster, "crashing").path("up").asBoolean()).as("%s", cluster).isFalse();
		assertThat(redisShare(cluster, "crashing", "db-pool", "holding")).as("its holds, gone with its lease: %s",
				cluster.path("redis")).isZero();
		toA.awaitPrimitive("db-pool", (state) -> state.path("available").asInt() == 5, "all 5 permits back");
	}

	@Test
	@Order(5)
	void closingAnInstanceHandsItsPermitsOnAtOnce() {
		OrderRepository orders = b.getBean(OrderRepository.class);
		List<CompletableFuture<OrderRepository.Order>> held = IntStream.range(0, 5)
			.mapToObj((i) -> orders.findOrder(i, Duration.ofSeconds(10)))
			.toList();
		poll(pool::now, (running) -> running == 5, Duration.ofSeconds(10), "b's 5 queries running");
		CompletableFuture<Reply> waiting = toA.send("GET", "/db/orders/99?latency=10ms");
		poll(() -> toA.get("/cluster/local").ok(), (view) -> view.path("use").path("db-pool").path("waiting").asInt() == 1,
				Duration.ofSeconds(10), "a's query queued");

		b.close();
		assertThat(waiting).succeedsWithin(LEASE);
		waiting.join().ok();
		// b's queries never ended (its clock stopped with it): the close gave their permits back
		assertThat(held).noneMatch(CompletableFuture::isDone);
	}

	/** A load that a's start reached the third instance with, if it was up, has ended. */
	private static void loadEndedOnTheThirdInstance() {
		SampleClient toCrashing = new SampleClient(ports[2]);
		poll(() -> (status(toCrashing, "/load") == 200) ? toCrashing.get("/load").ok().path("running").asBoolean() : false,
				(running) -> !running, Duration.ofSeconds(60), "the third instance's load to end");
	}

	private static <T> T until(WebDriver driver, Duration timeout, String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(driver, timeout).ignoring(StaleElementReferenceException.class)
			.withMessage(() -> "the page to show " + what + "; its instances bar: "
					+ driver.findElements(By.id("instances")).stream().map(WebElement::getText).toList())
			.until(condition);
	}

	private static String attribute(WebDriver page, String selector, String attribute) {
		return page.findElements(By.cssSelector(selector)).stream().findFirst().map((found) -> found.getDomAttribute(attribute)).orElse(null);
	}

	/**
	 * The db-pool holders the page shows, by instance, read in one script: the page renders every
	 * 500 ms, and two reads a moment apart could see two renderings, a permit that passed from one
	 * instance to the other in between counted twice.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Long> holdingShown(ChromeDriver page) {
		return (Map<String, Long>) page.executeScript("""
				const shown = {};
				for (const line of document.querySelectorAll("[data-primitive='db-pool'] [data-use][data-holding]")) {
				  shown[line.dataset.use] = Number(line.dataset.holding);
				}
				return shown;
				""");
	}

	/** The name the cluster view gives {@code a}, {@code b} or {@code crashing}. */
	static String name(String which) {
		return "127.0.0.1:" + ports[Arrays.asList("a", "b", "crashing").indexOf(which)];
	}

	/**
	 * The holders or waiters Redis lists for the named instance in a cluster view: read from Redis
	 * at one moment, also for an instance that is down (by the id it last reported).
	 */
	static int redisShare(JsonNode cluster, String instance, String primitive, String field) {
		String id = instance(cluster, instance).path("redisInstance").asString();
		assertThat(id).as("%s's id in Redis: %s", instance, cluster).isNotBlank();
		return cluster.path("redis").path(primitive).path(id).path(field).asInt(0);
	}

	/** db-pool as the named instance's endpoint describes it in a cluster view. */
	static JsonNode dbPool(JsonNode cluster, String instance) {
		return instance(cluster, instance).path("view").path("primitives").valueStream()
			.filter((primitive) -> primitive.path("name").asString().equals("db-pool"))
			.findFirst()
			.orElseGet(() -> fail("no db-pool in %s's view: %s", instance, cluster));
	}

	/** The named instance's holders of a primitive in a cluster view, or -1 if it is not up. */
	static int holding(JsonNode cluster, String instance, String primitive) {
		JsonNode found = instance(cluster, instance);
		return found.path("up").asBoolean() ? found.path("view").path("use").path(primitive).path("holding").asInt(-1)
				: -1;
	}

	/** {@code a}, {@code b} or {@code crashing} in a cluster view. */
	static JsonNode instance(JsonNode cluster, String which) {
		String name = name(which);
		return cluster.path("instances").valueStream()
			.filter((instance) -> instance.path("instance").asString().equals(name))
			.findFirst()
			.orElseGet(() -> fail("no instance %s in %s", name, cluster));
	}

	static <T> T poll(Supplier<T> read, Predicate<T> condition, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		T seen = read.get();
		while (!condition.test(seen)) {
			if (System.nanoTime() - deadline > 0) {
				fail("not within %s: %s (last seen: %s)", timeout, what, seen);
			}
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			seen = read.get();
		}
		return seen;
	}

	private static int status(SampleClient client, String path) {
		try {
			return client.send("GET", path).get(5, TimeUnit.SECONDS).status();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static String peers(int... ports) {
		return String.join(",", Arrays.stream(ports).mapToObj((port) -> "http://127.0.0.1:" + port).toList());
	}

	private static List<String> arguments(int port, String peers) {
		return List.of("--spring.profiles.active=cluster", "--server.port=" + port,
				"--spring.data.redis.port=" + redis.port(), "--sample.cluster.peers=" + peers,
				"--lockstep.redis.lease=" + LEASE.toSeconds() + "s", "--lockstep.redis.key-prefix=cluster-tests");
	}

	private static ConfigurableApplicationContext start(int port, String peers) {
		return new SpringApplicationBuilder(SampleApplication.class)
			.initializers((context) -> context.getBeanFactory().registerSingleton("poolWatcher", pool))
			.run(arguments(port, peers).toArray(String[]::new));
	}

	/** The sample in a JVM of its own, on this test's class path. */
	private static Process startProcess(int port, String peers) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName()));
		command.addAll(arguments(port, peers));
		crashingLog = Files.createTempFile("cluster-crashing-", ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(crashingLog.toFile()).start();
	}

	private static int[] freePorts(int count) throws IOException {
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			}
			return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
	}

	/** Counts the queries running in every repository it watches, and the most at once. */
	static final class PoolWatcher implements OrderRepository.Watcher {

		private final AtomicInteger now = new AtomicInteger();

		private final AtomicInteger peak = new AtomicInteger();

		@Override
		public void started() {
			this.peak.accumulateAndGet(this.now.incrementAndGet(), Math::max);
		}

		@Override
		public void ended() {
			this.now.decrementAndGet();
		}

		int now() {
			return this.now.get();
		}

		int peak() {
			return this.peak.get();
		}

	}

}
