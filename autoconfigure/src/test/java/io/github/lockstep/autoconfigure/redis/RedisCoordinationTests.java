package io.github.lockstep.autoconfigure.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.lockstep.annotation.AwaitBarrier;
import io.github.lockstep.annotation.AwaitEvent;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpointAutoConfiguration;
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
 * {@code @AwaitBarrier} calls spread over both trip together, and the endpoint's writes and the
 * barrier's broken-wait meter work on the Redis primitives. (The event wait's meter is not
 * asserted: in one run of about ten it was never counted, a lead the note on issue 14 records.)
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

			second.getBean(Coordinated.class).go();

			assertThat(call).succeedsWithin(DEADLINE).isEqualTo("went");

			LockstepEndpoint endpoint = second.getBean(LockstepEndpoint.class);
			endpoint.change("go", "clear");
			// a clear reaches the other instances by notification: an await there returns at once
			// until it has arrived
			LockstepEndpoint firstEndpoint = first.getBean(LockstepEndpoint.class);
			awaitUntil(() -> Boolean.FALSE.equals(firstEndpoint.primitive("go").set()), "the first instance sees it clear");
			CompletableFuture<String> again = waiting.whenGo();
			assertThat(again).isNotDone();
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
