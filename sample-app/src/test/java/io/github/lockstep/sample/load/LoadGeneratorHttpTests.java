package io.github.lockstep.sample.load;

import java.util.Set;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator over HTTP: a run drives every scenario, refuses a second run while it goes,
 * ends by itself or when stopped, and leaves every scenario's invariants as they were.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class LoadGeneratorHttpTests {

	private static final Set<String> SCENARIOS = Set.of("db-pool", "counter", "account", "cache-warm", "batch",
			"tickets", "subprocesses");

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void runDrivesEveryScenarioAndEndsByItself() {
		assertThat(status().path("running").asBoolean()).as("a run left going").isFalse();
		long visits = this.client.get("/counter").ok().path("count").asLong();
		JsonNode started = this.client.post("/load?duration=2s").withStatus(202);
		assertThat(started.path("running").asBoolean()).isTrue();
		assertThat(started.path("durationMillis").asLong()).isEqualTo(2000);
		JsonNode refused = this.client.post("/load?duration=2s").withStatus(409);
		assertThat(refused.path("detail").asString()).contains("already running");

		JsonNode first = this.client.awaitState("/load", (load) -> totalCalls(load) > 0, "calls made");
		this.client.awaitState("/load", (load) -> totalCalls(load) > totalCalls(first), "calls growing");
		JsonNode ended = this.client.awaitState("/load", (load) -> !load.path("running").asBoolean(),
				"the run ended by itself");
		assertThat(ended.path("elapsedMillis").asLong()).isGreaterThanOrEqualTo(2000);
		assertThat(ended.path("clients").asInt()).isZero();
		assertCallsInEveryScenario(ended);
		assertOnlyExpectedFailures(ended);
		// every counter call of the run counted once, none lost to a race
		assertThat(this.client.get("/counter").ok().path("count").asLong() - visits)
			.isEqualTo(ended.path("calls").path("counter").asLong());
		assertInvariantsHold();
	}

	@Test
	void deleteStopsALongerRun() {
		assertThat(status().path("running").asBoolean()).as("a run left going").isFalse();
		this.client.post("/load?duration=60s").withStatus(202);
		this.client.awaitState("/load", (load) -> totalCalls(load) > 0, "calls made");
		this.client.delete("/load").ok();
		JsonNode ended = this.client.awaitState("/load", (load) -> !load.path("running").asBoolean(),
				"the run stopped");
		assertThat(ended.path("durationMillis").asLong()).isEqualTo(60_000);
		assertThat(ended.path("elapsedMillis").asLong()).isLessThan(SampleClient.DEADLINE.toMillis() * 2);
		long calls = totalCalls(ended);
		assertThat(totalCalls(status())).as("calls after the run ended").isEqualTo(calls);
		assertOnlyExpectedFailures(ended);
		assertInvariantsHold();
	}

	@Test
	void durationOutsideTheLimitsIsABadRequest() {
		JsonNode problem = this.client.post("/load?duration=500ms").withStatus(400);
		assertThat(problem.path("detail").asString()).contains("duration must be between 1s and 1h");
		assertThat(status().path("running").asBoolean()).isFalse();
	}

	private JsonNode status() {
		return this.client.get("/load").ok();
	}

	private static long totalCalls(JsonNode load) {
		long total = 0;
		for (JsonNode calls : load.path("calls").values()) {
			total += calls.asLong();
		}
		return total;
	}

	private static void assertCallsInEveryScenario(JsonNode load) {
		JsonNode calls = load.path("calls");
		assertThat(SCENARIOS).allSatisfy(
				(scenario) -> assertThat(calls.path(scenario).asLong()).as("calls in %s", scenario).isPositive());
	}

	/**
	 * Only timed-out waits (for funds, for a ticket); never a refused return (each client gives back
	 * only the ticket it took), a price from a cold catalog, nor a query or process past its limit.
	 */
	private static void assertOnlyExpectedFailures(JsonNode load) {
		JsonNode failures = load.path("failures");
		assertThat(failures.propertyNames()).isSubsetOf("account", "tickets");
		assertThat(failures.path("account").propertyNames()).isSubsetOf("AcquireTimeoutException");
		assertThat(failures.path("tickets").propertyNames()).isSubsetOf("AcquireTimeoutException");
	}

	private void assertInvariantsHold() {
		JsonNode account = this.client.get("/bank").ok();
		assertThat(account.path("deposited").asLong() - account.path("withdrawn").asLong())
			.isEqualTo(account.path("balance").asLong());
		assertThat(account.path("balance").asLong()).isNotNegative();
		assertThat(account.path("lowestBalance").asLong()).isNotNegative();
		assertThat(account.path("waitingWithdrawals").asInt()).isZero();

		JsonNode pool = this.client.get("/db").ok();
		assertThat(pool.path("peakInFlight").asInt()).isBetween(1, 5);
		assertThat(pool.path("inFlight").asInt()).isZero();
		assertThat(this.client.primitive("db-pool").path("available").asInt()).isEqualTo(5);

		JsonNode processes = this.client.get("/subprocesses").ok();
		assertThat(processes.path("peakRunning").asInt()).isBetween(1, 2);
		assertThat(processes.path("running").asInt()).isZero();

		assertThat(this.client.get("/tickets").ok().path("available").asInt()).isEqualTo(3);

		JsonNode batch = this.client.get("/batch").ok();
		assertThat(batch.path("started").asInt() % 5).isZero();
		assertThat(batch.path("finished").asInt()).isEqualTo(batch.path("started").asInt());
		assertThat(this.client.primitive("batch").path("waiting").asInt()).isZero();

		assertThat(this.client.get("/cache").ok().path("warm").asBoolean()).isTrue();
		assertThat(this.client.primitive("cache-warm").path("waiting").asInt()).isZero();
		assertThat(this.client.primitive("counter").path("locked").asBoolean()).isFalse();
	}

}
