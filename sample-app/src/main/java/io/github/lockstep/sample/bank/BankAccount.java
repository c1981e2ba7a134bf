package io.github.lockstep.sample.bank;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncCondition;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * asyncio's {@code Condition} example: a withdrawal waits, holding no thread, until deposits
 * cover it. The balance is only touched holding the condition's lock, so it never goes negative
 * and {@code deposited - withdrawn == balance} always holds.
 */
@Service
public class BankAccount {

	private final AsyncCondition funds;

	// guarded by funds' lock
	private long balance;

	private long deposited;

	private long withdrawn;

	private long lowestBalance;

	public BankAccount(@Qualifier("account") AsyncCondition funds) {
		this.funds = funds;
	}

	/**
	 * Adds {@code amount} and wakes every waiting withdrawal, which checks again whether it is
	 * covered now.
	 * @param amount a positive amount
	 * @return the balance after the deposit
	 */
	public CompletableFuture<Statement> deposit(long amount) {
		requirePositive(amount);
		return this.funds.acquire().thenApply((held) -> {
			try {
				this.balance += amount;
				this.deposited += amount;
				this.funds.signalAll();
				return statement();
			}
			finally {
				this.funds.release();
			}
		});
	}

	/**
	 * Takes {@code amount} once the balance covers it. A withdrawal that is still waiting when
	 * {@code timeout} runs out (for the lock, then for the funds) fails with
	 * {@link io.github.lockstep.AcquireTimeoutException} and takes nothing.
	 * @param amount a positive amount
	 * @param timeout how long to wait for the funds
	 * @return the balance after the withdrawal
	 */
	public CompletableFuture<Statement> withdraw(long amount, Duration timeout) {
		requirePositive(amount);
		return this.funds.acquire(timeout).thenCompose((held) -> this.funds
			.awaitUntil(() -> this.balance >= amount)
			// completing the wait exceptionally ends it, as a cancel would, once the lock is held again
			.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenApply((covered) -> {
				this.balance -= amount;
				this.withdrawn += amount;
				this.lowestBalance = Math.min(this.lowestBalance, this.balance);
				return statement();
			})
			// however the wait ended, it ended holding the lock
			.whenComplete((statement, failure) -> this.funds.release()));
	}

	/**
	 * Reads the account holding the lock, so that it sees a consistent statement.
	 * @return the account now
	 */
	public CompletableFuture<Statement> statement(Duration timeout) {
		return this.funds.acquire(timeout).thenApply((held) -> {
			try {
				return statement();
			}
			finally {
				this.funds.release();
			}
		});
	}

	private Statement statement() {
		return new Statement(this.balance, this.deposited, this.withdrawn, this.lowestBalance,
				this.funds.queueLength());
	}

	private static void requirePositive(long amount) {
		if (amount <= 0) {
			throw new IllegalArgumentException("amount must be positive, but was " + amount);
		}
	}

	/**
	 * The account at one moment.
	 * @param balance what is in it
	 * @param deposited the sum of all deposits
	 * @param withdrawn the sum of all withdrawals
	 * @param lowestBalance the lowest balance ever seen (never below 0)
	 * @param waitingWithdrawals withdrawals waiting for funds
	 */
	public record Statement(long balance, long deposited, long withdrawn, long lowestBalance,
			int waitingWithdrawals) {
	}

}
