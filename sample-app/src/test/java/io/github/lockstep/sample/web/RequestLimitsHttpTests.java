package io.github.lockstep.sample.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request may not ask for a wait or a piece of work beyond the sample's limits (well inside the
 * time Spring MVC lets an asynchronous request run), or a negative one: it answers 400 naming the
 * parameter, and nothing starts.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RequestLimitsHttpTests {

	@LocalServerPort
	private int port;

	@ParameterizedTest
	@CsvSource({ "GET, /db/orders/1?latency=11s, latency", "GET, /db/orders/1?latency=-1ms, latency",
			"POST, /counter?work=2s, work", "POST, /cache/warm-up?loadTime=11s, loadTime",
			"POST, /batch/shards/1?work=1m, work", "POST, /tickets/take?timeout=31s, timeout",
			"POST, /subprocesses/render?runTime=11s, runTime", "POST, /bank/withdraw?amount=1&timeout=1h, timeout" })
	void durationOutsideItsLimitIsABadRequest(String method, String path, String parameter) {
		SampleClient client = new SampleClient(this.port);
		Map<String, JsonNode> before = state(client);
		JsonNode problem = client.send(method, path).join().withStatus(400);
		assertThat(problem.path("detail").asString()).startsWith(parameter + " must be between 0 and ");
		assertThat(state(client)).as("nothing started").isEqualTo(before);
	}

	/** Every scenario's state: what a request that started anything would change. */
	private static Map<String, JsonNode> state(SampleClient client) {
		Map<String, JsonNode> state = new LinkedHashMap<>();
		for (String scenario : new String[] { "db", "counter", "cache", "batch", "tickets", "subprocesses", "bank" }) {
			state.put(scenario, client.get("/" + scenario).ok());
		}
		return state;
	}

}
