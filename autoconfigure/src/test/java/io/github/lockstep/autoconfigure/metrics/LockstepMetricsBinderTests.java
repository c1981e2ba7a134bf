package io.github.lockstep.autoconfigure.metrics;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link LockstepMetrics} as a plain {@code MeterBinder}, without Spring: the meters of the
 * primitives registered before and after it is bound, and what binding it again does.
 */
class LockstepMetricsBinderTests {

	private final LockstepRegistry registry = new LockstepRegistry();

	private final MeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void everyPrimitiveRegisteredBeforeOrAfterBindingGetsItsMeters() {
		AsyncSemaphore before = this.registry.register(AsyncSemaphore.create("before", 1));
		new LockstepMetrics(this.registry).bindTo(this.meters);
		AsyncLock after = this.registry.register(AsyncLock.create("after"));

		assertThat(this.meters.get(LockstepMetrics.PERMITS_AVAILABLE).tag("name", "before").gauge().value()).isOne();
		assertThat(this.meters.get(LockstepMetrics.LOCKED).tag("name", "after").tag("kind", "lock").gauge().value())
			.isZero();
		assertThat(((Instrumented) before).probe()).isInstanceOf(ContendedCount.class);
		assertThat(((Instrumented) after).probe()).isInstanceOf(ContendedCount.class);
	}

	@Test
	void removingAPrimitiveRemovesItsMetersAndEmptiesItsProbe() {
		new LockstepMetrics(this.registry).bindTo(this.meters);
		AsyncLock lock = this.registry.register(AsyncLock.create("inventory"));
		assertThat(this.meters.find(LockstepMetrics.WAITING).tag("name", "inventory").gauge()).isNotNull();

		this.registry.remove("inventory");

		assertThat(this.meters.getMeters()).noneMatch((meter) -> "inventory".equals(meter.getId().getTag("name")));
		assertThat(((Instrumented) lock).probe()).isSameAs(PrimitiveProbe.NONE);
	}

	@Test
	void bindingAgainToTheSameRegistryCountsEveryWaitOnce() {
		LockstepMetrics metrics = new LockstepMetrics(this.registry);
		metrics.bindTo(this.meters);
		int bound = this.meters.getMeters().size();
		AsyncLock lock = this.registry.register(AsyncLock.create("inventory"));
		int withLock = this.meters.getMeters().size();

		metrics.bindTo(this.meters);

		assertThat(this.meters.getMeters()).hasSize(withLock).hasSizeGreaterThan(bound);
		assertThat(lock.tryAcquire()).isTrue();
		CompletableFuture<Void> queued = lock.acquire();
		assertThat(queued).isNotDone();
		assertThat(this.meters.get(LockstepMetrics.CONTENDED).tag("name", "inventory").functionCounter().count())
			.isOne();
		queued.cancel(false);
		lock.release();
	}

	@Test
	void bindingToASecondRegistryIsRefused() {
		LockstepMetrics metrics = new LockstepMetrics(this.registry);
		metrics.bindTo(this.meters);
		assertThatIllegalStateException().isThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
			.withMessageContaining("CompositeMeterRegistry");
	}

}
