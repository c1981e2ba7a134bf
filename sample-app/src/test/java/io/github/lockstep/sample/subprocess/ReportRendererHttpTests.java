package io.github.lockstep.sample.subprocess;

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
 * Subprocesses over HTTP: 10 renders at once each run a real process, at most 2 at a time (the
 * permits {@code application.yml} gives), and every one exits cleanly.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ReportRendererHttpTests {

	private static final int RENDERS = 10;

	private static final int PERMITS = 2;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void atMostTwoProcessesRunAtOnceAndAllExitCleanly() {
		assertThat(this.client.get("/subprocesses").ok().path("running").asInt()).as("processes left running")
			.isZero();
		assertThat(this.client.primitive("subprocesses").path("available").asInt()).isEqualTo(PERMITS);
		List<CompletableFuture<Reply>> renders = this.client.sendAll(RENDERS, "POST",
				(i) -> "/subprocesses/render?runTime=200ms");
		JsonNode full = this.client.awaitPrimitive("subprocesses",
				(semaphore) -> semaphore.path("available").asInt() == 0 && semaphore.path("waiting").asInt() > 0,
				"both permits taken, with renders waiting");
		assertThat(full.path("permits").asInt()).isEqualTo(PERMITS);
		assertThat(answered(renders)).isLessThan(RENDERS);

		List<Reply> answers = answersOf(renders);
		assertThat(answers).allSatisfy((answer) -> {
			JsonNode rendered = answer.ok();
			assertThat(rendered.path("exitValue").asInt()).isZero();
			assertThat(rendered.path("elapsedMillis").asLong()).isGreaterThanOrEqualTo(150);
		});
		assertThat(answers).extracting((answer) -> answer.body().path("pid").asLong()).doesNotHaveDuplicates();
		JsonNode state = this.client.get("/subprocesses").ok();
		assertThat(state.path("peakRunning").asInt()).isEqualTo(PERMITS);
		assertThat(state.path("running").asInt()).isZero();
		assertThat(this.client.primitive("subprocesses").path("available").asInt()).isEqualTo(PERMITS);
	}

}
