package io.github.lockstep.sample.bank;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /bank/withdraw?amount=50} answers once deposits cover it (or 503 after
 * {@code timeout}, default 10 s); {@code POST /bank/deposit?amount=50} pays in;
 * {@code GET /bank} reads the statement. A waiting withdrawal holds no servlet thread.
 */
@RestController
@RequestMapping("/bank")
class BankController {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

	private final BankAccount account;

	private final Duration defaultTimeout;

	BankController(BankAccount account,
			@Value("${lockstep.conditions.account.timeout:10s}") Duration defaultTimeout) {
		this.account = account;
		this.defaultTimeout = defaultTimeout;
	}

	@GetMapping
	CompletableFuture<BankAccount.Statement> statement() {
		return this.account.statement(READ_TIMEOUT);
	}

	@PostMapping("/deposit")
	CompletableFuture<BankAccount.Statement> deposit(@RequestParam long amount) {
		return this.account.deposit(amount);
	}

	@PostMapping("/withdraw")
	CompletableFuture<BankAccount.Statement> withdraw(@RequestParam long amount,
			@RequestParam(required = false) Duration timeout) {
		return this.account.withdraw(amount,
				RequestLimits.atMost("timeout", (timeout != null) ? timeout : this.defaultTimeout, RequestLimits.WAIT));
	}

}
