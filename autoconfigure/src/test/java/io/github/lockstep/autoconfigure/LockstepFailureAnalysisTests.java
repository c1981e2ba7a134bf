package io.github.lockstep.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every configuration and annotation mistake fails startup, and the failure analysis names the key
 * or method, the value and the fix. The texts are asserted exactly: they are what a user reads.
 */
@ExtendWith(OutputCaptureExtension.class)
class LockstepFailureAnalysisTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	// configuration

	@Test
	void zeroPermitsFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.permits=0"),
				"lockstep.semaphores.payment-api.permits is 0, but a semaphore needs at least 1.",
				"Set lockstep.semaphores.payment-api.permits to 1 or more: the number of holders allowed at once.");
	}

	@Test
	void negativePermitsFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.permits=-1"),
				"lockstep.semaphores.payment-api.permits is -1, but a semaphore needs at least 1.",
				"Set lockstep.semaphores.payment-api.permits to 1 or more: the number of holders allowed at once.");
	}

	@Test
	void missingPermitsFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.semaphores.payment-api.bounded=true"),
				"lockstep.semaphores.payment-api.permits is not set, and a semaphore cannot work without it.",
				"Set lockstep.semaphores.payment-api.permits to 1 or more: the number of holders allowed at once.");
	}

	@Test
	void zeroPartiesFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.barriers.nightly-batch.parties=0"),
				"lockstep.barriers.nightly-batch.parties is 0, but a barrier needs at least 1.",
				"Set lockstep.barriers.nightly-batch.parties to 1 or more: the number of calls that make a round.");
	}

	@Test
	void negativePartiesFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.barriers.nightly-batch.parties=-1"),
				"lockstep.barriers.nightly-batch.parties is -1, but a barrier needs at least 1.",
				"Set lockstep.barriers.nightly-batch.parties to 1 or more: the number of calls that make a round.");
	}

	@Test
	void missingPartiesFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.barriers.nightly-batch.timeout=1m"),
				"lockstep.barriers.nightly-batch.parties is not set, and a barrier cannot work without it.",
				"Set lockstep.barriers.nightly-batch.parties to 1 or more: the number of calls that make a round.");
	}

	@Test
	void negativeConfiguredTimeoutFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.locks.inventory.timeout=-2s"),
				"lockstep.locks.inventory.timeout is PT-2S, which is negative.",
				"Set lockstep.locks.inventory.timeout to 0 (fail at once) or more, or remove it to wait with no limit.");
	}

	@Test
	void conditionNamingAnUnknownLockFailsStartup() {
		assertFailure(
				this.contextRunner.withPropertyValues("lockstep.locks.inventory.timeout=1s",
						"lockstep.locks.ledger.timeout=1s", "lockstep.conditions.account.lock=inventroy"),
				"lockstep.conditions.account.lock is 'inventroy', but no lock of that name is configured.",
				"Configure it as lockstep.locks.inventroy, or name one of the configured locks: [inventory, ledger].");
	}

	@Test
	void conditionNamingALockWhenNoneIsConfiguredFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.conditions.account.lock=inventory"),
				"lockstep.conditions.account.lock is 'inventory', but no lock of that name is configured.",
				"Configure it as lockstep.locks.inventory, or remove lockstep.conditions.account.lock to give the"
						+ " condition a lock of its own.");
	}

	@Test
	void oneNameConfiguredAsTwoKindsFailsStartup() {
		assertFailure(
				this.contextRunner.withPropertyValues("lockstep.locks.payment-api.timeout=1s",
						"lockstep.semaphores.payment-api.permits=5"),
				"'payment-api' is configured twice, as lockstep.locks.payment-api and as lockstep.semaphores.payment-api.",
				"Give each primitive its own name: one name refers to one primitive, whatever its kind.");
	}

	@Test
	void asyncExecutorNamingAMissingBeanFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.async-executor=lockstepExecutor"),
				"lockstep.async-executor is 'lockstepExecutor', but there is no Executor bean of that name"
						+ " (No bean named 'lockstepExecutor' available).",
				"Name an Executor bean, such as applicationTaskExecutor, or remove lockstep.async-executor to run"
						+ " admitted calls on the thread that admits them.");
	}

	// strict

	@Test
	void strictFailsStartupForAnAnnotationNamingAnUnconfiguredPrimitive() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.strict=true").withBean(Ledger.class),
				"lockstep.strict is true, but @Guarded on Ledger.post() names lock 'ledger', which is not configured.",
				"Configure lockstep.locks.ledger, correct the name, or set lockstep.strict=false. An entry with no"
						+ " settings is written 'ledger:' (or 'ledger: ~') under lockstep.locks; 'ledger: {}' is seen only in"
						+ " a YAML file that Spring Boot loaded, in a document that sets something else too.");
	}

	@Test
	void strictAcceptsAConfiguredName() {
		this.contextRunner.withPropertyValues("lockstep.strict=true", "lockstep.locks.ledger.timeout=1s")
			.withBean(Ledger.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void strictAcceptsUnnamedAnnotations() {
		this.contextRunner.withPropertyValues("lockstep.strict=true").withBean(Unnamed.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(LockstepRegistry.class).semaphore("Unnamed.run")).isPresent();
		});
	}

	@Test
	void strictAcceptsANameRegisteredInCode() {
		this.contextRunner.withPropertyValues("lockstep.strict=true")
			.withUserConfiguration(LedgerInCodeConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(LockstepRegistry.class).lock("ledger"))
					.containsSame(context.getBean("ledgerLock", AsyncLock.class));
			});
	}

	// annotations that cannot make a primitive

	@Test
	void throttledWithoutPermitsAndNoConfigurationFailsStartup() {
		assertFailure(this.contextRunner.withBean(NoPermits.class),
				"@Throttled on NoPermits.send() uses semaphore 'NoPermits.send', but neither the annotation nor"
						+ " lockstep.semaphores.[NoPermits.send].permits sets its permits.",
				"Set permits on the annotation, or configure lockstep.semaphores.[NoPermits.send].permits.");
	}

	@Test
	void awaitBarrierWithoutPartiesAndNoConfigurationFailsStartup() {
		assertFailure(this.contextRunner.withBean(NoParties.class),
				"@AwaitBarrier on NoParties.board() uses barrier 'boarding', but neither the annotation nor"
						+ " lockstep.barriers.boarding.parties sets its parties.",
				"Set parties on the annotation, or configure lockstep.barriers.boarding.parties.");
	}

	@Test
	void negativeAnnotationPermitsFailsStartup() {
		assertFailure(this.contextRunner.withBean(NegativePermits.class),
				"@Throttled on NegativePermits.send() has permits = -1, but a semaphore needs at least 1.",
				"Set permits to 1 or more, or leave it out to use lockstep.semaphores.[NegativePermits.send].permits.");
	}

	// annotations that disagree

	@Test
	void annotationsDisagreeingAboutPermitsFailStartup() {
		assertFailure(this.contextRunner.withBean(TwoPermits.class).withBean(ThreePermits.class),
				"@Throttled on TwoPermits.run() and @Throttled on ThreePermits.run() disagree about semaphore 'shared':"
						+ " permits = 2 and permits = 3.",
				"Give both the same permits, or set lockstep.semaphores.shared.permits (the configuration wins over"
						+ " annotations).");
	}

	@Test
	void annotationsAgreeingAboutPermitsShareOneSemaphore() {
		this.contextRunner.withBean(TwoPermits.class).withBean("otherTwoPermits", TwoPermits.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(LockstepRegistry.class).semaphore("shared")).get()
				.returns(2, (semaphore) -> semaphore.availablePermits());
		});
	}

	@Test
	void nameUsedAsALockAndAsASemaphoreFailsStartup() {
		assertFailure(this.contextRunner.withBean(SharedAsLock.class).withBean(TwoPermits.class),
				"'shared' is used as a lock by @Guarded on SharedAsLock.run() and as a semaphore by @Throttled on"
						+ " TwoPermits.run().",
				"Give them different names: one name refers to one primitive, whatever its kind.");
	}

	@Test
	void throttledNamingAConfiguredLockFailsStartup() {
		assertFailure(this.contextRunner.withPropertyValues("lockstep.locks.shared.timeout=1s").withBean(TwoPermits.class),
				"'shared' is the lock configured as lockstep.locks.shared, but @Throttled on TwoPermits.run() uses it as"
						+ " a semaphore.",
				"Name a semaphore there: one name refers to one primitive, whatever its kind.");
	}

	@Test
	void twoClassesWithTheSameSimpleNameSharingADefaultNameFailStartup() {
		assertFailure(this.contextRunner.withBean(FirstTeam.Worker.class).withBean(SecondTeam.Worker.class),
				"Two classes named Worker (io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$FirstTeam$Worker"
						+ " and io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$SecondTeam$Worker) would share"
						+ " the default semaphore name 'Worker.work'.",
				"Give @Throttled on Worker.work() in"
						+ " io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$SecondTeam$Worker an explicit name,"
						+ " or rename one of the classes.");
	}

	@Test
	void twoClassesWithTheSameSimpleNameSharingADefaultClassNameFailStartup() {
		assertFailure(this.contextRunner.withBean(FirstTeam.Crew.class).withBean(SecondTeam.Crew.class),
				"Two classes named Crew (io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$FirstTeam$Crew"
						+ " and io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$SecondTeam$Crew) would share"
						+ " the default semaphore name 'Crew'.",
				"Give @Throttled on class io.github.lockstep.autoconfigure.LockstepFailureAnalysisTests$SecondTeam$Crew"
						+ " an explicit name, or rename one of the classes.");
	}

	// timeouts

	@Test
	void unparseableAnnotationTimeoutFailsStartup() {
		assertFailure(this.contextRunner.withBean(SpelledOutTimeout.class),
				"@Guarded(timeout = \"5 sec\") on SpelledOutTimeout.run(): '5 sec' is not a duration of 0 or more.",
				"Write a duration such as \"500ms\", \"2s\" or \"PT2S\"; \"0\" fails at once when the primitive is not"
						+ " free, and leaving it out uses the configured timeout.");
	}

	@Test
	void placeholderWithoutBracesAsTimeoutFailsStartup() {
		assertFailure(this.contextRunner.withBean(DollarTimeout.class),
				"@Guarded(timeout = \"$ledger.timeout\") on DollarTimeout.run(): '$ledger.timeout' is not a duration of 0"
						+ " or more.",
				"Write a duration such as \"500ms\", \"2s\" or \"PT2S\"; \"0\" fails at once when the primitive is not"
						+ " free, and leaving it out uses the configured timeout.");
	}

	@Test
	void placeholderTimeoutIsResolved() {
		this.contextRunner.withPropertyValues("ledger.timeout=20ms").withBean(PlaceholderTimeout.class).run((context) -> {
			assertThat(context).hasNotFailed();
			AsyncLock lock = context.getBean(LockstepRegistry.class).lock("ledger").orElseThrow();
			assertThat(lock.tryAcquire()).isTrue();
			assertThatExceptionOfType(AcquireTimeoutException.class)
				.isThrownBy(() -> context.getBean(PlaceholderTimeout.class).run())
				.withMessage("Lock 'ledger': wait timed out after 20ms");
			lock.release();
		});
	}

	// return types

	@Test
	void asyncVoidMethodFailsStartup() {
		assertFailure(this.contextRunner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncVoid.class),
				"@Throttled on @Async method AsyncVoid.send() returning void: Lockstep cannot observe when the task ends,"
						+ " so it could never give back what the call holds.",
				"Return CompletableFuture<Void> (or CompletableFuture<T>) from AsyncVoid.send().");
	}

	@Test
	void asyncFutureMethodFailsStartup() {
		assertFailure(this.contextRunner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncFuture.class),
				"@Throttled on @Async method AsyncFuture.send() returning Future: Lockstep cannot observe when the task"
						+ " ends, so it could never give back what the call holds.",
				"Return CompletableFuture<Void> (or CompletableFuture<T>) from AsyncFuture.send().");
	}

	@Test
	void asyncCompletionStageMethodFailsStartup() {
		// Spring's @Async makes a future only for CompletableFuture and Future, and refuses the rest at call time
		assertFailure(this.contextRunner.withUserConfiguration(AsyncConfiguration.class).withBean(AsyncStage.class),
				"@Throttled on @Async method AsyncStage.send() returning CompletionStage: Lockstep cannot observe when the"
						+ " task ends, so it could never give back what the call holds.",
				"Return CompletableFuture<Void> (or CompletableFuture<T>) from AsyncStage.send().");
	}

	@Test
	void asyncCompletableFutureMethodStarts() {
		this.contextRunner.withUserConfiguration(AsyncConfiguration.class)
			.withBean(AsyncCompletable.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AsyncCompletable.class).send()).succeedsWithin(java.time.Duration.ofSeconds(5))
					.isEqualTo("sent");
			});
	}

	@Test
	void plainFutureMethodFailsStartup() {
		assertFailure(this.contextRunner.withBean(PlainFuture.class),
				"@Throttled on PlainFuture.send() returns java.util.concurrent.Future, whose end Lockstep cannot observe"
						+ " without blocking.",
				"Return CompletableFuture, CompletionStage, Mono or Flux, or a plain value (the caller then waits).");
	}

	// methods a proxy cannot reach

	@Test
	void annotationOnPrivateMethodFailsStartup() {
		assertFailure(this.contextRunner.withBean(PrivateMethod.class),
				"@Throttled on PrivateMethod.hidden() cannot take effect: the method is private, and a Spring proxy only"
						+ " intercepts methods that are neither private, static nor final.",
				"Make PrivateMethod.hidden() non-private and call it through the bean, or use the primitive directly,"
						+ " e.g. registry.semaphore(\"name\").orElseThrow().withPermit(…).");
	}

	@Test
	void annotationOnFinalMethodFailsStartup() {
		assertFailure(this.contextRunner.withBean(FinalMethod.class),
				"@Guarded on FinalMethod.fixed() cannot take effect: the method is final, and a Spring proxy only"
						+ " intercepts methods that are neither private, static nor final.",
				"Make FinalMethod.fixed() non-final and call it through the bean, or use the primitive directly,"
						+ " e.g. registry.lock(\"name\").orElseThrow().withLock(…).");
	}

	@Test
	void annotationOnStaticMethodFailsStartup() {
		assertFailure(this.contextRunner.withBean(StaticMethod.class),
				"@Throttled on StaticMethod.everyone() cannot take effect: the method is static, and a Spring proxy only"
						+ " intercepts methods that are neither private, static nor final.",
				"Make StaticMethod.everyone() non-static and call it through the bean, or use the primitive directly,"
						+ " e.g. registry.semaphore(\"name\").orElseThrow().withPermit(…).");
	}

	// the report a user sees

	@Test
	void failureIsReportedWithDescriptionAndAction(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EndToEndConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--lockstep.semaphores.payment-api.permits=0"));
		assertThat(output).contains("APPLICATION FAILED TO START", String.format("Description:%n%n"
				+ "lockstep.semaphores.payment-api.permits is 0, but a semaphore needs at least 1.%n%n" + "Action:%n%n"
				+ "Set lockstep.semaphores.payment-api.permits to 1 or more: the number of holders allowed at once."));
	}

	static void assertFailure(ApplicationContextRunner runner, String description, String action) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new LockstepFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo(description);
			assertThat(analysis.getAction()).isEqualTo(action);
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, LockstepAutoConfiguration.class })
	static class EndToEndConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class LedgerInCodeConfiguration {

		@Bean
		AsyncLock ledgerLock(LockstepRegistry registry) {
			return registry.register(AsyncLock.create("ledger"));
		}

		@Bean
		Ledger ledger(AsyncLock ledgerLock) {
			return new Ledger();
		}

	}

	static class Ledger {

		@Guarded("ledger")
		public void post() {
		}

	}

	static class Unnamed {

		@Throttled(permits = 2)
		public void run() {
		}

	}

	static class NoPermits {

		@Throttled
		public void send() {
		}

	}

	static class NoParties {

		@AwaitBarrier("boarding")
		public void board() {
		}

	}

	static class NegativePermits {

		@Throttled(permits = -1)
		public void send() {
		}

	}

	static class TwoPermits {

		@Throttled(value = "shared", permits = 2)
		public void run() {
		}

	}

	static class ThreePermits {

		@Throttled(value = "shared", permits = 3)
		public void run() {
		}

	}

	static class SharedAsLock {

		@Guarded("shared")
		public void run() {
		}

	}

	static class FirstTeam {

		static class Worker {

			@Throttled(permits = 1)
			public void work() {
			}

		}

		@Throttled(permits = 1)
		static class Crew {

			public void work() {
			}

		}

	}

	static class SecondTeam {

		static class Worker {

			@Throttled(permits = 1)
			public void work() {
			}

		}

		@Throttled(permits = 1)
		static class Crew {

			public void work() {
			}

		}

	}

	static class SpelledOutTimeout {

		@Guarded(value = "ledger", timeout = "5 sec")
		public void run() {
		}

	}

	static class DollarTimeout {

		@Guarded(value = "ledger", timeout = "$ledger.timeout")
		public void run() {
		}

	}

	static class PlaceholderTimeout {

		@Guarded(value = "ledger", timeout = "${ledger.timeout}")
		public void run() {
		}

	}

	static class AsyncVoid {

		@Async
		@Throttled(permits = 1)
		public void send() {
		}

	}

	static class AsyncFuture {

		@Async
		@Throttled(permits = 1)
		public Future<String> send() {
			return CompletableFuture.completedFuture("sent");
		}

	}

	static class AsyncStage {

		@Async
		@Throttled(permits = 1)
		public CompletionStage<String> send() {
			return CompletableFuture.completedFuture("sent");
		}

	}

	static class AsyncCompletable {

		@Async
		@Throttled(permits = 1)
		public CompletableFuture<String> send() {
			return CompletableFuture.completedFuture("sent");
		}

	}

	static class PlainFuture {

		@Throttled(permits = 1)
		public Future<String> send() {
			return CompletableFuture.completedFuture("sent");
		}

	}

	static class PrivateMethod {

		public void visible() {
			hidden();
		}

		@Throttled(permits = 1)
		private void hidden() {
		}

	}

	static class FinalMethod {

		@Guarded("ledger")
		public final void fixed() {
		}

	}

	static class StaticMethod {

		@Throttled(permits = 1)
		public static void everyone() {
		}

	}

}
