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
 *
 * <pre>{@code
 * account.withdraw(50, Duration.ofSeconds(10));   // completes once deposits cover it
 * account.deposit(80);                            // wakes it: the balance is then 30
 * }</pre>
 */
@Service
public class BankAccount {

	/** The most one deposit or withdrawal may move, so that no sum of them overflows. */
	public static final long MAX_AMOUNT = 1_000_000;

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
	 * @param amount between 1 and {@link #MAX_AMOUNT}
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
	 * Takes {@code amount} once the balance covers it. A withdrawal that is still waiting, for the
	 * lock or for the funds, when {@code timeout} runs out fails with
	 * {@link io.github.lockstep.AcquireTimeoutException} and takes nothing.
	 * @param amount between 1 and {@link #MAX_AMOUNT}
	 * @param timeout how long to wait in all
	 * @return the balance after the withdrawal
	 */
	public CompletableFuture<Statement> withdraw(long amount, Duration timeout) {
		requirePositive(amount);
		long deadline = System.nanoTime() + timeout.toNanos();
		return this.funds.acquire(timeout).thenCompose((held) -> this.funds
			.awaitUntil(() -> this.balance >= amount)
			// completing the wait exceptionally ends it, as a cancel would, once the lock is held again
			.orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
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
		if (amount <= 0 || amount > MAX_AMOUNT) {
			throw new IllegalArgumentException("amount must be between 1 and " + MAX_AMOUNT + ", but was " + amount);
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
