package io.github.lockstep.sample.bank;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.github.lockstep.sample.SampleApplication;
import io.github.lockstep.sample.SampleClient;
import io.github.lockstep.sample.SampleClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.lockstep.sample.SampleClient.answersOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bank account over HTTP: withdrawals that the balance does not cover wait for deposits, and
 * however the requests race, the books balance and the balance never goes negative.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BankAccountHttpTests {

	private static final int WITHDRAWALS = 100;

	@LocalServerPort
	private int port;

	private SampleClient client;

	@BeforeEach
	void connect() {
		this.client = new SampleClient(this.port);
	}

	@Test
	void withdrawalsThatFundsDoNotCoverWaitUntilDepositsDo() {
		JsonNode before = statement();
		assertThat(before.path("waitingWithdrawals").asInt()).as("withdrawals left waiting by others").isZero();
		long leftOver = emptyTheAccount(before);
		List<Long> amounts = amounts(new Random(7), 10, 100);
		List<CompletableFuture<Reply>> withdrawals = amounts.stream()
			.map((amount) -> this.client.send("POST", "/bank/withdraw?amount=" + amount + "&timeout=6s"))
			.toList();
		this.client.awaitState("/bank", (account) -> account.path("waitingWithdrawals").asInt() == WITHDRAWALS,
				"every withdrawal waiting for funds");
		assertThat(this.client.primitive("account").path("waiting").asInt()).isEqualTo(WITHDRAWALS);
		assertThat(withdrawals).noneMatch(CompletableFuture::isDone);

		// less than any of them: each wakes, finds it is still short, and waits again
		assertThat(this.client.post("/bank/deposit?amount=5").ok().path("balance").asLong()).isEqualTo(5);
		JsonNode short5 = this.client.awaitState("/bank",
				(account) -> account.path("waitingWithdrawals").asInt() == WITHDRAWALS, "every withdrawal back to waiting");
		assertThat(short5.path("balance").asLong()).isEqualTo(5);
		assertThat(short5.path("withdrawn").asLong()).isEqualTo(before.path("withdrawn").asLong() + leftOver);
		assertThat(withdrawals).noneMatch(CompletableFuture::isDone);

		List<Long> depositAmounts = new ArrayList<>(amounts);
		Collections.shuffle(depositAmounts, new Random(11));
		List<CompletableFuture<Reply>> deposits = depositAmounts.stream()
			.map((amount) -> this.client.send("POST", "/bank/deposit?amount=" + amount))
			.toList();
		List<Reply> answers = Stream.concat(answersOf(deposits).stream(), answersOf(withdrawals).stream()).toList();
		assertThat(answers).allSatisfy(this::assertSound);

		JsonNode after = statement();
		long total = amounts.stream().mapToLong(Long::longValue).sum();
		assertBooksBalance(after);
		assertThat(after.path("balance").asLong()).isEqualTo(5);
		assertThat(after.path("deposited").asLong() - before.path("deposited").asLong()).isEqualTo(5 + total);
		assertThat(after.path("withdrawn").asLong() - before.path("withdrawn").asLong()).isEqualTo(leftOver + total);
		assertThat(after.path("waitingWithdrawals").asInt()).isZero();
	}

	@Test
	void concurrentDepositsAndWithdrawalsKeepTheBooksBalanced() {
		JsonNode before = statement();
		Random random = new Random(13);
		List<Long> amounts = amounts(random, 1, 100);
		List<String> requests = new ArrayList<>();
		amounts.forEach((amount) -> requests.add("/bank/withdraw?amount=" + amount + "&timeout=6s"));
		amounts.forEach((amount) -> requests.add("/bank/deposit?amount=" + amount));
		Collections.shuffle(requests, random);
		List<CompletableFuture<Reply>> sent = requests.stream().map((path) -> this.client.send("POST", path)).toList();

		// as much is paid in as asked for, so every withdrawal is covered in the end
		assertThat(answersOf(sent)).allSatisfy(this::assertSound);
		JsonNode after = statement();
		long total = amounts.stream().mapToLong(Long::longValue).sum();
		assertBooksBalance(after);
		assertThat(after.path("balance").asLong()).isEqualTo(before.path("balance").asLong());
		assertThat(after.path("deposited").asLong() - before.path("deposited").asLong()).isEqualTo(total);
		assertThat(after.path("withdrawn").asLong() - before.path("withdrawn").asLong()).isEqualTo(total);
		assertThat(after.path("waitingWithdrawals").asInt()).isZero();
	}

	@Test
	void withdrawalThatTimesOutAnswers503AndTakesNothing() {
		emptyTheAccount(statement());
		JsonNode before = statement();
		JsonNode problem = this.client.post("/bank/withdraw?amount=1&timeout=100ms").withStatus(503);
		assertThat(problem.path("title").asString()).isEqualTo("Timed out waiting");
		JsonNode after = statement();
		assertThat(after.path("balance").asLong()).isEqualTo(before.path("balance").asLong());
		assertThat(after.path("withdrawn").asLong()).isEqualTo(before.path("withdrawn").asLong());
		assertThat(after.path("waitingWithdrawals").asInt()).isZero();
		assertBooksBalance(after);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/bank/withdraw?amount=0", "/bank/withdraw?amount=-5", "/bank/deposit?amount=0",
			"/bank/deposit?amount=-1", "/bank/deposit?amount=1000001", "/bank/deposit?amount=9223372036854775807",
			"/bank/withdraw?amount=1000001" })
	void amountOutsideItsRangeIsABadRequest(String path) {
		JsonNode before = statement();
		JsonNode problem = this.client.post(path).withStatus(400);
		assertThat(problem.path("detail").asString()).contains("amount must be between 1 and 1000000");
		assertThat(statement()).isEqualTo(before);
	}

	/** Takes out what is left, so that any withdrawal waits; returns what was taken. */
	private long emptyTheAccount(JsonNode account) {
		long balance = account.path("balance").asLong();
		if (balance > 0) {
			assertThat(this.client.post("/bank/withdraw?amount=" + balance + "&timeout=2s").ok().path("balance").asLong())
				.isZero();
		}
		return balance;
	}

	private JsonNode statement() {
		return this.client.get("/bank").ok();
	}

	private void assertSound(Reply reply) {
		JsonNode statement = reply.ok();
		assertThat(statement.path("balance").asLong()).as("balance in %s", reply).isNotNegative();
		assertThat(statement.path("lowestBalance").asLong()).as("lowest balance in %s", reply).isNotNegative();
		assertBooksBalance(statement);
	}

	private static void assertBooksBalance(JsonNode statement) {
		assertThat(statement.path("deposited").asLong() - statement.path("withdrawn").asLong())
			.as("deposited - withdrawn in %s", statement)
			.isEqualTo(statement.path("balance").asLong());
		assertThat(statement.path("lowestBalance").asLong()).isNotNegative();
	}

	private static List<Long> amounts(Random random, long lowest, long highest) {
		return random.longs(WITHDRAWALS, lowest, highest + 1).boxed().toList();
	}

}
