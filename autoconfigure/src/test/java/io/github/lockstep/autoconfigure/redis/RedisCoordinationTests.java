package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpointAutoConfiguration;
import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.autoconfigure.metrics.LockstepMetricsAutoConfiguration;
import io.github.lockstep.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications on one Redis with {@code lockstep.backend: redis}: an {@code @AwaitEvent} call
 * in one starts when {@code @SetEvent} or the endpoint's {@code set} runs in the other,
 * {@code @AwaitBarrier} calls spread over both trip together, a call right after a clear in the
 * other waits for the next set, a condition from YAML over a shared lock is awaited in one and
 * signalled in the other, and the endpoint's writes and the wait meters work on the Redis
 * primitives.
 */
class RedisCoordinationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private ApplicationContextRunner runner(String prefix) {
		return RedisContexts.runner(redis, prefix)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					LockstepMetricsAutoConfiguration.class, LockstepEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=lockstep",
					"lockstep.backend=redis")
			.withBean(Coordinated.class);
	}

	@Test
	void anEventSetInOneInstanceStartsTheCallsWaitingInTheOther() {
		String prefix = RedisContexts.newPrefix();
		runner(prefix).run((first) -> runner(prefix).run((second) -> {
			Coordinated waiting = first.getBean(Coordinated.class);
			CompletableFuture<String> call = waiting.whenGo();
			assertThat(call).isNotDone();
			assertThat(waiting.started()).isZero();
			// Redis has answered that the event is clear: the set below comes after the wait joined
			MeterRegistry meters = first.getBean(MeterRegistry.class);
			awaitUntil(() -> meters.get(LockstepMetrics.CONTENDED).tag("name", "go").functionCounter().count() == 1,
					"the wait counted as contended");

			second.getBean(Coordinated.class).go();

			assertThat(call).succeedsWithin(DEADLINE).isEqualTo("went");
			// recorded as the wait completes, which the call's future may show a moment before
			awaitUntil(() -> waits(meters, "go", "event", "acquired") == 1, "the wait counted on this instance's meters");

			LockstepEndpoint endpoint = second.getBean(LockstepEndpoint.class);
			endpoint.change("go", "clear");
			// at once: the call asks Redis, whatever this instance last heard of the flag
			CompletableFuture<String> again = waiting.whenGo();
			assertThat(again).isNotDone();
			// Redis's answer came (the first instance's view is clear) and the call still waits
			LockstepEndpoint firstEndpoint = first.getBean(LockstepEndpoint.class);
			awaitUntil(() -> Boolean.FALSE.equals(firstEndpoint.primitive("go").set()), "the first instance sees it clear");
			assertThat(again).isNotDone();
			assertThat(waiting.started()).isOne();
			endpoint.change("go", "set");
			assertThat(again).as("the endpoint's set, in the other instance").succeedsWithin(DEADLINE);
			awaitUntil(() -> Boolean.TRUE.equals(endpoint.primitive("go").set()), "the endpoint shows the event set");
			assertThat(endpoint.primitive("go").backend()).isEqualTo("redis");
		}));
	}

	@Test
	void barrierCallsSpreadOverTwoInstancesTripTogetherAndTheEndpointAbortsAndResets() {
		String prefix = RedisContexts.newPrefix();
		runner(prefix).run((first) -> runner(prefix).run((second) -> {
			CompletableFuture<Integer> one = first.getBean(Coordinated.class).meet();
			CompletableFuture<Integer> two = second.getBean(Coordinated.class).meet();
			assertThat(one).isNotDone();
			assertThat(two).isNotDone();
			CompletableFuture<Integer> three = first.getBean(Coordinated.class).meet();

			assertThat(List.of(one, two, three)).allSatisfy((call) -> assertThat(call).succeedsWithin(DEADLINE));

			LockstepEndpoint endpoint = second.getBean(LockstepEndpoint.class);
			CompletableFuture<Integer> waiting = first.getBean(Coordinated.class).meet();
			endpoint.change("trio", "abort");
			assertThat(waiting).as("aborted from the other instance").failsWithin(DEADLINE);
			awaitUntil(() -> Boolean.TRUE.equals(endpoint.primitive("trio").broken()), "the endpoint shows it broken");
			endpoint.change("trio", "reset");
			awaitUntil(() -> Boolean.FALSE.equals(endpoint.primitive("trio").broken()), "the endpoint shows it reset");
			MeterRegistry meters = first.getBean(MeterRegistry.class);
			awaitUntil(() -> waits(meters, "trio", "barrier", "broken") == 1, "the broken wait counted on its meters");
		}));
	}

	@Test
	void aConditionFromYamlOverASharedLockIsAwaitedInOneInstanceAndSignalledInTheOther() {
		String prefix = RedisContexts.newPrefix();
		String[] yaml = { "lockstep.locks.inventory.timeout=5s", "lockstep.conditions.restock.lock=inventory" };
		runner(prefix).withPropertyValues(yaml).run((first) -> runner(prefix).withPropertyValues(yaml).run((second) -> {
			AsyncCondition waitingSide = first.getBean("lockstep.condition.restock", AsyncCondition.class);
			AsyncCondition signallingSide = second.getBean("lockstep.condition.restock", AsyncCondition.class);
			AsyncLock inventory = second.getBean("lockstep.lock.inventory", AsyncLock.class);
			assertThat(signallingSide.lock()).isSameAs(inventory);
			assertThat(waitingSide.acquire()).succeedsWithin(DEADLINE);

			CompletableFuture<Void> waiting = waitingSide.await();
			assertThat(inventory.acquire()).as("the wait released the shared lock").succeedsWithin(DEADLINE);
			assertThat(waiting).isNotDone();
			signallingSide.signal();
			assertThat(waiting).as("signalled, re-acquiring the lock the other instance holds").isNotDone();
			inventory.release();
			assertThat(waiting).as("the lock re-acquired").succeedsWithin(DEADLINE);
			assertThat(inventory.tryAcquire()).as("held by the first instance again").isFalse();
			waitingSide.release();
			assertThat(inventory.acquire()).succeedsWithin(DEADLINE);
			inventory.release();

			MeterRegistry meters = first.getBean(MeterRegistry.class);
			awaitUntil(() -> waits(meters, "restock", "condition", "acquired") == 1,
					"the condition wait counted on the first instance's meters");
			LockstepEndpoint endpoint = first.getBean(LockstepEndpoint.class);
			assertThat(endpoint.primitive("restock").backend()).isEqualTo("redis");
		}));
	}

	private static long waits(MeterRegistry meters, String name, String kind, String outcome) {
		return meters.find("lockstep.wait")
			.tags("name", name, "kind", kind, "outcome", outcome)
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	private static void awaitUntil(BooleanSupplier condition, String what) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("within %s: %s", DEADLINE, what).isNegative();
			Thread.onSpinWait();
		}
	}

	static class Coordinated {

		final AtomicInteger started = new AtomicInteger();

		@AwaitEvent("go")
		public CompletableFuture<String> whenGo() {
			this.started.incrementAndGet();
			return CompletableFuture.completedFuture("went");
		}

		@SetEvent("go")
		public void go() {
		}

		@AwaitBarrier(value = "trio", parties = 3)
		public CompletableFuture<Integer> meet() {
			return CompletableFuture.completedFuture(1);
		}

		/** Calls of {@link #whenGo()} that started (a method, so that the proxy asks its target). */
		public int started() {
			return this.started.get();
		}

	}

}
