package io.github.lockstep.sample.tickets;

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

import static io.github.lockstep.sample.SampleClient.answerOf;
import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 3 tickets over HTTP: the bounded semaphore refuses a return that would put a 4th ticket in
 * circulation, however many race, and a take waits for a ticket to come back.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class TicketOfficeHttpTests {

	private static final int TICKETS = 3;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void returnsWhenEveryTicketIsBackAreRefused() {
		assertThat(available()).as("tickets left taken").isEqualTo(TICKETS);
		List<Reply> answers = answersOf(this.client.sendAll(10, "POST", (i) -> "/tickets/return"));
		assertThat(answers).allSatisfy(TicketOfficeHttpTests::assertRefused);
		assertThat(available()).isEqualTo(TICKETS);
		JsonNode semaphore = this.client.primitive("tickets");
		assertThat(semaphore.path("bounded").asBoolean()).isTrue();
		assertThat(semaphore.path("available").asInt()).isEqualTo(TICKETS);
	}

	@Test
	void ofTenReturnsAfterThreeTakesExactlyThreeSucceed() {
		assertThat(available()).as("tickets left taken").isEqualTo(TICKETS);
		for (int taken = 1; taken <= TICKETS; taken++) {
			assertThat(this.client.post("/tickets/take?timeout=1s").ok().path("available").asInt())
				.isEqualTo(TICKETS - taken);
		}
		JsonNode timedOut = this.client.post("/tickets/take?timeout=50ms").withStatus(503);
		assertThat(timedOut.path("title").asString()).isEqualTo("Timed out waiting");
		assertThat(available()).isZero();

		List<Reply> answers = answersOf(this.client.sendAll(10, "POST", (i) -> "/tickets/return"));
		List<Reply> accepted = answers.stream().filter((answer) -> answer.status() == 200).toList();
		List<Reply> refused = answers.stream().filter((answer) -> answer.status() != 200).toList();
		// each return reads the count after its release, when others may have released too
		assertThat(accepted).hasSize(TICKETS)
			.extracting((answer) -> answer.body().path("available").asInt())
			.allSatisfy((available) -> assertThat(available).isBetween(1, TICKETS));
		assertThat(refused).hasSize(7).allSatisfy(TicketOfficeHttpTests::assertRefused);
		assertThat(available()).isEqualTo(TICKETS);
	}

	@Test
	void takeWaitsForATicketToComeBack() {
		assertThat(available()).as("tickets left taken").isEqualTo(TICKETS);
		for (int taken = 1; taken <= TICKETS; taken++) {
			this.client.post("/tickets/take?timeout=1s").ok();
		}
		CompletableFuture<Reply> fourth = this.client.send("POST", "/tickets/take?timeout=5s");
		this.client.awaitPrimitive("tickets", (tickets) -> tickets.path("waiting").asInt() == 1,
				"the 4th take waiting for a ticket");
		assertThat(fourth).isNotDone();

		// handed straight to the waiting take: none becomes available
		assertThat(this.client.post("/tickets/return").ok().path("available").asInt()).isZero();
		assertThat(answerOf(fourth).ok().path("available").asInt()).isZero();
		for (int returned = 1; returned <= TICKETS; returned++) {
			assertThat(this.client.post("/tickets/return").ok().path("available").asInt()).isEqualTo(returned);
		}
		assertRefused(this.client.post("/tickets/return"));
	}

	private int available() {
		return this.client.get("/tickets").ok().path("available").asInt();
	}

	private static void assertRefused(Reply answer) {
		JsonNode problem = answer.withStatus(409);
		assertThat(problem.path("title").asString()).isEqualTo("Ticket not taken");
		assertThat(problem.path("detail").asString()).contains("'tickets'");
	}

}
