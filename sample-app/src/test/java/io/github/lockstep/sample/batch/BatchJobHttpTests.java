package io.github.lockstep.sample.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.sample.SampleClient.answered;
import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch of 5 over HTTP: a shard is not answered until 5 have arrived, and then all 5 are; so
 * shards start 5 at a time.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BatchJobHttpTests {

	private static final int PARTIES = 5;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void fourShardsWaitAndTheFifthReleasesAllFive() {
		JsonNode barrier = this.client.primitive("batch");
		assertThat(barrier.path("parties").asInt()).isEqualTo(PARTIES);
		assertThat(barrier.path("waiting").asInt()).as("shards left waiting").isZero();
		int started = started();
		List<CompletableFuture<Reply>> shards = new ArrayList<>(
				this.client.sendAll(PARTIES - 1, "POST", (i) -> "/batch/shards/" + i + "?work=10ms"));
		this.client.awaitPrimitive("batch", (batch) -> batch.path("waiting").asInt() == PARTIES - 1,
				"4 shards at the barrier");
		assertThat(shards).noneMatch(CompletableFuture::isDone);
		assertThat(started()).as("shards started before the 5th came").isEqualTo(started);

		shards.add(this.client.send("POST", "/batch/shards/4?work=10ms"));
		List<Reply> reports = answersOf(shards);
		assertThat(reports).extracting((report) -> report.ok().path("shard").asInt()).containsExactly(0, 1, 2, 3, 4);
		assertThat(reports).extracting((report) -> report.ok().path("startOrder").asInt())
			.doesNotHaveDuplicates()
			.allSatisfy((order) -> assertThat(order).isBetween(started + 1, started + PARTIES));
		JsonNode job = this.client.get("/batch").ok();
		assertThat(job.path("started").asInt()).isEqualTo(started + PARTIES);
		assertThat(job.path("finished").asInt()).isEqualTo(job.path("started").asInt());
		assertThat(this.client.primitive("batch").path("waiting").asInt()).isZero();
	}

	@Test
	void shardsStartFiveAtATime() {
		assertThat(this.client.primitive("batch").path("waiting").asInt()).as("shards left waiting").isZero();
		int started = started();
		List<CompletableFuture<Reply>> shards = new ArrayList<>(
				this.client.sendAll(23, "POST", (i) -> "/batch/shards/" + i + "?work=5ms"));
		SampleClient.poll(() -> answered(shards), (count) -> count == 20, "4 rounds of 5 answered");
		assertThat(this.client.primitive("batch").path("waiting").asInt()).isEqualTo(3);
		assertThat(started()).isEqualTo(started + 20);
		assertThat(answered(shards)).as("answered with 3 shards short of a round").isEqualTo(20);

		shards.addAll(this.client.sendAll(2, "POST", (i) -> "/batch/shards/" + (23 + i) + "?work=5ms"));
		assertThat(answersOf(shards)).allSatisfy(Reply::ok);
		int startedNow = started();
		assertThat(startedNow - started).isEqualTo(25);
		assertThat(startedNow % PARTIES).as("shards started, whatever ran before").isZero();
		assertThat(this.client.primitive("batch").path("waiting").asInt()).isZero();
	}

	private int started() {
		return this.client.get("/batch").ok().path("started").asInt();
	}

}
