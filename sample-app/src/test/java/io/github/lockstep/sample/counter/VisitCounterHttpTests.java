package io.github.lockstep.sample.counter;

import java.util.List;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guarded counter over HTTP: racing increments, each a read, a pause and a write, lose no
 * update.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class VisitCounterHttpTests {

	private static final int VISITS = 60;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void concurrentIncrementsLoseNoUpdate() {
		long before = count();
		List<Reply> answers = answersOf(this.client.sendAll(VISITS, "POST", (i) -> "/counter?work=2ms"));
		List<Long> counts = answers.stream().map((reply) -> reply.ok().path("count").asLong()).toList();
		assertThat(counts).doesNotHaveDuplicates().allSatisfy((seen) -> assertThat(seen).isBetween(before + 1, before + VISITS));
		assertThat(count()).isEqualTo(before + VISITS);
		assertThat(this.client.primitive("counter").path("locked").asBoolean()).isFalse();
	}

	private long count() {
		return this.client.get("/counter").ok().path("count").asLong();
	}

}
