package io.github.lockstep.sample.cache;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Setting {@code cache-warm} by hand (the Actuator endpoint, the page's "set" button) before any
 * warm-up lets prices through to a catalog that was never loaded: they answer 503 saying so, and a
 * warm-up puts things right.
 */
// an application of its own (the property only tells its context apart): the catalog must never have been loaded
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sample.test.context=never-loaded-catalog")
class NeverLoadedCatalogHttpTests {

	@LocalServerPort
	private int port;

	@Test
	void priceFromACatalogNeverLoadedIsServiceUnavailableUntilAWarmUp() {
		SampleClient client = new SampleClient(this.port);
		assertThat(client.get("/cache").ok().path("version").asInt()).isZero();
		JsonNode event = client.send("POST", "/actuator/lockstep/cache-warm", "{\"action\":\"set\"}").join().ok();
		assertThat(event.path("set").asBoolean()).isTrue();

		JsonNode problem = client.get("/cache/prices/apple").withStatus(503);
		assertThat(problem.path("title").asString()).isEqualTo("Catalog not loaded");
		assertThat(problem.path("detail").asString()).contains("'cache-warm' was set by hand before a warm-up");

		client.post("/cache/warm-up?loadTime=10ms").ok();
		assertThat(client.get("/cache/prices/apple").ok().path("catalogVersion").asInt()).isOne();
	}

}
