package io.github.lockstep.sample.cluster;

import io.github.lockstep.redis.RedisPrimitives;
import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default profile with lockstep-redis and Spring Data Redis on the classpath and no Redis
 * anywhere: every primitive is in memory, nothing connects to Redis, health is UP, and the cluster
 * view is this instance alone.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.data.redis.port=1")
class InMemoryByDefaultHttpTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Test
	void healthIsUpWithoutAnyRedis() {
		JsonNode health = new SampleClient(this.port).get("/actuator/health").ok();
		assertThat(health.path("status").asString()).as("%s", health).isEqualTo("UP");
		assertThat(health.path("components").has("redis")).as("%s", health).isFalse();
		assertThat(this.context.getBeanNamesForType(RedisPrimitives.class)).isEmpty();
	}

	@Test
	void everyPrimitiveIsInMemoryAndTheClusterIsThisInstanceAlone() {
		JsonNode cluster = new SampleClient(this.port).get("/cluster").ok();
		assertThat(cluster.path("instances")).hasSize(1);
		JsonNode self = cluster.path("instances").path(0);
		assertThat(self.path("up").asBoolean()).isTrue();
		assertThat(self.path("view").path("canHalt").asBoolean()).as("halt outside the cluster profile").isFalse();
		assertThat(self.path("view").path("primitives").valueStream().map((primitive) -> primitive.path("backend").asString()))
			.hasSize(7)
			.containsOnly("memory");
		assertThat(new SampleClient(this.port).post("/cluster/halt").status()).isIn(404, 405);
	}

}
