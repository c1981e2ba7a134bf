package io.github.lockstep.autoconfigure.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.BarrierBrokenException;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LockstepMetricsAutoConfiguration}: the meters of SPEC §5, per kind, in a real
 * context over a {@link SimpleMeterRegistry}, with counts that match what happened.
 */
class LockstepMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private ApplicationContextRunner withoutMeterRegistry;

	/** Over a {@code SimpleMeterRegistry}. */
	ApplicationContextRunner contextRunner;

	@BeforeEach
	void createRunners() {
		this.withoutMeterRegistry = onBackend(new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class,
					LockstepMetricsAutoConfiguration.class))
			.withPropertyValues("lockstep.locks.inventory.timeout=2s", "lockstep.semaphores.payment-api.permits=5",
					"lockstep.semaphores.payment-api.bounded=true", "lockstep.events.cache-warm.initially-set=false",
					"lockstep.conditions.account.lock=inventory", "lockstep.conditions.ledger.timeout=5s",
					"lockstep.barriers.nightly-batch.parties=3"));
		this.contextRunner = this.withoutMeterRegistry.withBean(SimpleMeterRegistry.class);
	}

	/** The backend of the primitives the tests configure: in memory here; a subclass picks another. */
	ApplicationContextRunner onBackend(ApplicationContextRunner runner) {
		return runner;
	}

	@Test
	void everyKindPublishesItsMetersWithNameAndKindTags() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meterNames(meters, "inventory", "lock")).containsExactlyInAnyOrder("lockstep.wait",
					"lockstep.held", "lockstep.contended", "lockstep.waiting", "lockstep.locked");
			assertThat(meterNames(meters, "payment-api", "semaphore")).containsExactlyInAnyOrder("lockstep.wait",
					"lockstep.held", "lockstep.contended", "lockstep.waiting", "lockstep.permits.available",
					"lockstep.locked");
			assertThat(meterNames(meters, "cache-warm", "event")).containsExactlyInAnyOrder("lockstep.wait",
					"lockstep.contended", "lockstep.waiting", "lockstep.event.set");
			assertThat(meterNames(meters, "account", "condition")).containsExactlyInAnyOrder("lockstep.wait",
					"lockstep.held", "lockstep.contended", "lockstep.waiting", "lockstep.locked");
			assertThat(meterNames(meters, "nightly-batch", "barrier")).containsExactlyInAnyOrder("lockstep.wait",
					"lockstep.contended", "lockstep.waiting", "lockstep.barrier.broken");
			assertThat(meters.find("lockstep.wait").tag("name", "inventory").timers()).extracting((t) -> t.getId().getTag("outcome"))
				.containsExactlyInAnyOrder("acquired", "timeout", "cancelled");
			assertThat(meters.find("lockstep.wait").tag("name", "nightly-batch").timers()).extracting((t) -> t.getId().getTag("outcome"))
				.containsExactlyInAnyOrder("acquired", "timeout", "cancelled", "broken");
		});
	}

	@Test
	void metersHaveDescriptionsAndOnlyTimersHaveBaseUnits() {
		this.contextRunner.run((context) -> {
			List<Meter> lockstep = context.getBean(MeterRegistry.class).getMeters().stream()
				.filter((meter) -> meter.getId().getName().startsWith("lockstep."))
				.toList();
			assertThat(lockstep).isNotEmpty().allSatisfy((meter) -> {
				assertThat(meter.getId().getDescription()).as(meter.getId().toString()).isNotBlank();
				boolean timer = meter instanceof Timer || meter instanceof FunctionTimer;
				assertThat(meter.getId().getBaseUnit()).as(meter.getId().toString()).isEqualTo(timer ? "seconds" : null);
			});
		});
	}

	/**
	 * The scripted scenario: 10 calls through a 2-permit semaphore, 2 of them let in at once,
	 * 5 waiting with no limit and 3 with a 50 ms timeout that runs out.
	 */
	@Test
	void countsOfAScriptedScenarioAreExactlyWhatHappened() {
		this.contextRunner.withBean(Payments.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			List<CompletableFuture<String>> gates = new ArrayList<>();
			List<CompletableFuture<String>> calls = new ArrayList<>();
			long started = System.nanoTime();
			for (int i = 0; i < 7; i++) {
				CompletableFuture<String> gate = new CompletableFuture<>();
				gates.add(gate);
				calls.add(payments.pay(gate));
			}
			List<CompletableFuture<String>> impatient = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				impatient.add(payments.payOrGiveUp(new CompletableFuture<>()));
			}
			for (CompletableFuture<String> call : impatient) {
				assertThat(call).failsWithin(WAIT).withThrowableThat().havingRootCause()
					.isInstanceOf(AcquireTimeoutException.class);
			}
			assertThat(gauge(meters, "lockstep.waiting", "scripted")).isEqualTo(5);
			assertThat(gauge(meters, "lockstep.permits.available", "scripted")).isZero();
			assertThat(gauge(meters, "lockstep.locked", "scripted")).isEqualTo(1);
			for (int i = 0; i < 7; i++) {
				gates.get(i).complete("paid " + i);
				assertThat(calls.get(i)).succeedsWithin(WAIT).isEqualTo("paid " + i);
			}
			double elapsed = (System.nanoTime() - started) / 1e9;

			assertThat(counter(meters, "scripted").count()).isEqualTo(8);
			assertThat(waits(meters, "scripted", "acquired").count()).isEqualTo(5);
			assertThat(waits(meters, "scripted", "timeout").count()).isEqualTo(3);
			assertThat(waits(meters, "scripted", "cancelled").count()).isZero();
			assertThat(meters.find("lockstep.wait").tag("name", "scripted").tag("outcome", "broken").timer()).isNull();
			assertThat(waits(meters, "scripted", "timeout").max(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0.05);
			assertThat(waits(meters, "scripted", "acquired").max(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0.05)
				.isLessThanOrEqualTo(elapsed);
			// the first hold is always timed: it lasted past the three timeouts
			FunctionTimer held = held(meters, "scripted");
			assertThat(held.count()).isEqualTo(7);
			assertThat(held.mean(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(0.05).isLessThanOrEqualTo(elapsed);
			assertThat(gauge(meters, "lockstep.waiting", "scripted")).isZero();
			assertThat(gauge(meters, "lockstep.permits.available", "scripted")).isEqualTo(2);
			assertThat(gauge(meters, "lockstep.locked", "scripted")).isZero();
		});
	}

	@Test
	void annotatedCallsOfEveryShapeReportOneHoldEach() {
		this.contextRunner.withBean(Payments.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(payments.paySync("a")).isEqualTo("a");
			assertThatIllegalStateException().isThrownBy(() -> payments.paySync(null));
			assertThat(payments.payLater("b").block(WAIT)).isEqualTo("b");
			assertThatIllegalStateException().isThrownBy(() -> payments.payLater(null).block(WAIT));
			assertThat(payments.pay(CompletableFuture.completedFuture("c"))).isCompletedWithValue("c");
			assertThat(payments.pay(CompletableFuture.failedFuture(new IllegalStateException()))).isCompletedExceptionally();
			assertThat(held(meters, "scripted").count()).isEqualTo(6);
			assertThat(counter(meters, "scripted").count()).isZero();
			assertThat(gauge(meters, "lockstep.permits.available", "scripted")).isEqualTo(2);
		});
	}

	@Test
	void lockCountsHoldsAndWaitsByOutcome() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			AsyncLock lock = context.getBean(LockstepRegistry.class).lock("inventory").orElseThrow();
			assertThat(lock.acquire()).isDone();
			assertThat(gauge(meters, "lockstep.locked", "inventory")).isEqualTo(1);
			CompletableFuture<Void> granted = lock.acquire();
			CompletableFuture<Void> cancelled = lock.acquire();
			CompletableFuture<Void> timedOut = lock.acquire(Duration.ZERO);
			assertThat(gauge(meters, "lockstep.waiting", "inventory")).isEqualTo(2);
			assertThat(cancelled.cancel(false)).isTrue();
			lock.release();
			assertThat(granted).isDone();
			lock.release();
			assertThat(timedOut).isCompletedExceptionally();
			assertThat(counter(meters, "inventory").count()).isEqualTo(3);
			assertThat(waits(meters, "inventory", "acquired").count()).isEqualTo(1);
			assertThat(waits(meters, "inventory", "cancelled").count()).isEqualTo(1);
			assertThat(waits(meters, "inventory", "timeout").count()).isEqualTo(1);
			assertThat(held(meters, "inventory").count()).isEqualTo(2);
			assertThat(gauge(meters, "lockstep.locked", "inventory")).isZero();
		});
	}

	@Test
	void withPermitReportsItsHoldAndABareAcquireDoesNot() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			AsyncSemaphore semaphore = context.getBean(LockstepRegistry.class).semaphore("payment-api").orElseThrow();
			assertThat(semaphore.acquire()).isDone();
			semaphore.release();
			assertThat(semaphore.withPermit(() -> CompletableFuture.completedFuture("done"))).isCompletedWithValue("done");
			assertThat(held(meters, "payment-api").count()).isEqualTo(1);
			assertThat(counter(meters, "payment-api").count()).isZero();
		});
	}

	@Test
	void eventAndConditionWaitsAreTimedUntilSetOrSignalled() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			AsyncEvent event = registry.event("cache-warm").orElseThrow();
			CompletableFuture<Void> warm = event.await();
			assertThat(gauge(meters, "lockstep.waiting", "cache-warm")).isEqualTo(1);
			assertThat(gauge(meters, "lockstep.event.set", "cache-warm")).isZero();
			event.set();
			assertThat(warm).isDone();
			assertThat(gauge(meters, "lockstep.event.set", "cache-warm")).isEqualTo(1);
			assertThat(waits(meters, "cache-warm", "acquired").count()).isEqualTo(1);

			AsyncCondition ledger = registry.condition("ledger").orElseThrow();
			assertThat(ledger.acquire()).isDone();
			CompletableFuture<Boolean> signalled = ledger.await(Duration.ofSeconds(30));
			assertThat(ledger.acquire()).isDone();
			CompletableFuture<Boolean> timedOut = ledger.await(Duration.ZERO);
			assertThat(timedOut).succeedsWithin(WAIT).isEqualTo(false);
			ledger.signal();
			ledger.release();
			assertThat(signalled).succeedsWithin(WAIT).isEqualTo(true);
			ledger.release();
			// its own lock reports to the condition too: the signalled waiter queued to re-acquire it
			assertThat(waits(meters, "ledger", "acquired").count()).isEqualTo(2);
			assertThat(waits(meters, "ledger", "timeout").count()).isEqualTo(1);
			assertThat(counter(meters, "ledger").count()).isEqualTo(3);
			// two acquisitions, each ended by an await, and two re-acquisitions after one
			assertThat(held(meters, "ledger").count()).isEqualTo(4);
			assertThat(gauge(meters, "lockstep.locked", "ledger")).isZero();
		});
	}

	@Test
	void barrierCountsBrokenWaitsAndRefusals() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			AsyncBarrier barrier = context.getBean(LockstepRegistry.class).barrier("nightly-batch").orElseThrow();
			CompletableFuture<Integer> first = barrier.await();
			CompletableFuture<Integer> second = barrier.await();
			assertThat(gauge(meters, "lockstep.waiting", "nightly-batch")).isEqualTo(2);
			barrier.abort();
			assertThat(List.of(first, second)).allSatisfy((arrival) -> assertThat(arrival).failsWithin(WAIT)
				.withThrowableThat().havingRootCause().isInstanceOf(BarrierBrokenException.class));
			assertThat(barrier.await()).isCompletedExceptionally();
			assertThat(gauge(meters, "lockstep.barrier.broken", "nightly-batch")).isEqualTo(1);
			assertThat(waits(meters, "nightly-batch", "broken").count()).isEqualTo(3);
			assertThat(counter(meters, "nightly-batch").count()).isEqualTo(3);
			barrier.reset();
			assertThat(gauge(meters, "lockstep.barrier.broken", "nightly-batch")).isZero();
		});
	}

	@Test
	void primitivesRegisteredLaterGetMetersAndLoseThemWhenRemoved() {
		this.contextRunner.run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			AsyncLock late = registry.register(AsyncLock.create("late"));
			assertThat(meterNames(meters, "late", "lock")).contains("lockstep.wait", "lockstep.locked");
			assertThat(((Instrumented) late).probe()).isNotSameAs(PrimitiveProbe.NONE);
			assertThat(late.acquire()).isDone();
			late.release();
			assertThat(held(meters, "late").count()).isEqualTo(1);
			assertThat(registry.remove("late")).containsSame(late);
			assertThat(meterNames(meters, "late", "lock")).isEmpty();
			assertThat(((Instrumented) late).probe()).isSameAs(PrimitiveProbe.NONE);
		});
	}

	@Test
	void metersAreBoundUnderLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(meterNames(context.getBean(MeterRegistry.class), "inventory", "lock")).contains("lockstep.wait");
				assertThat(((Instrumented) context.getBean(LockstepRegistry.class).lock("inventory").orElseThrow()).probe())
					.isInstanceOf(PrimitiveMeters.class);
			});
	}

	/**
	 * The held total is estimated from sampled holds; a short timed hold after a long one lowers
	 * the mean, but the total must not go down, which Prometheus would read as a counter reset.
	 */
	@Test
	void heldTotalNeverGoesDown() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		PrimitiveMeters meters = new PrimitiveMeters(AsyncLock.create("sampled"), registry, false);
		FunctionTimer held = held(registry, "sampled");
		assertThat(meters.holdStarted()).isNotZero();
		meters.holdEnded(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100));
		for (int i = 1; i < PrimitiveMeters.TIMED_HOLD_EVERY; i++) {
			assertThat(meters.holdStarted()).isZero();
			meters.holdEnded(0);
		}
		double afterLongHold = held.totalTime(TimeUnit.SECONDS);
		assertThat(afterLongHold).isGreaterThanOrEqualTo(0.1 * PrimitiveMeters.TIMED_HOLD_EVERY);
		assertThat(meters.holdStarted()).isNotZero();
		meters.holdEnded(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(1));
		assertThat(held.count()).isEqualTo(PrimitiveMeters.TIMED_HOLD_EVERY + 1);
		assertThat(held.totalTime(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(afterLongHold);
	}

	@Test
	void disabledMetricsBindNothingAndLeaveTheProbesEmpty() {
		this.contextRunner.withPropertyValues("lockstep.metrics.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LockstepMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).getMeters())
				.noneMatch((meter) -> meter.getId().getName().startsWith("lockstep."));
			assertThat(context.getBean(LockstepRegistry.class).all())
				.allSatisfy((primitive) -> assertThat(((Instrumented) primitive).probe()).isSameAs(PrimitiveProbe.NONE));
		});
	}

	@Test
	void noMeterRegistryMeansNoMeters() {
		this.withoutMeterRegistry.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LockstepMetrics.class));
	}

	@Test
	void histogramBucketsFollowTheProperty() {
		ApplicationContextRunner prometheus = this.withoutMeterRegistry
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		prometheus.run((context) -> assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
			.contains("lockstep_wait_seconds_bucket{kind=\"lock\",name=\"inventory\",outcome=\"acquired\",le=\"+Inf\"}"));
		prometheus.withPropertyValues("lockstep.metrics.histogram=false")
			.run((context) -> assertThat(context.getBean(PrometheusMeterRegistry.class).scrape())
				.contains("lockstep_wait_seconds_count{kind=\"lock\",name=\"inventory\",outcome=\"acquired\"}")
				.doesNotContain("lockstep_wait_seconds_bucket"));
	}

	private static List<String> meterNames(MeterRegistry meters, String name, String kind) {
		return meters.getMeters().stream()
			.filter((meter) -> name.equals(meter.getId().getTag("name")) && kind.equals(meter.getId().getTag("kind")))
			.map((meter) -> meter.getId().getName())
			.distinct()
			.toList();
	}

	private static double gauge(MeterRegistry meters, String meter, String name) {
		return meters.get(meter).tag("name", name).gauge().value();
	}

	private static FunctionCounter counter(MeterRegistry meters, String name) {
		return meters.get("lockstep.contended").tag("name", name).functionCounter();
	}

	private static Timer waits(MeterRegistry meters, String name, String outcome) {
		return meters.get("lockstep.wait").tag("name", name).tag("outcome", outcome).timer();
	}

	private static FunctionTimer held(MeterRegistry meters, String name) {
		return meters.get("lockstep.held").tag("name", name).functionTimer();
	}

	static class Payments {

		@Throttled(value = "scripted", permits = 2)
		public CompletableFuture<String> pay(CompletableFuture<String> gate) {
			return gate;
		}

		@Throttled(value = "scripted", permits = 2, timeout = "50ms")
		public CompletableFuture<String> payOrGiveUp(CompletableFuture<String> gate) {
			return gate;
		}

		@Throttled(value = "scripted", permits = 2)
		public String paySync(String amount) {
			if (amount == null) {
				throw new IllegalStateException("no amount");
			}
			return amount;
		}

		@Throttled(value = "scripted", permits = 2)
		public Mono<String> payLater(String amount) {
			return (amount != null) ? Mono.just(amount) : Mono.error(new IllegalStateException("no amount"));
		}

	}

}
