package io.github.lockstep.autoconfigure.endpoint;

import java.util.concurrent.CompletableFuture;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.autoconfigure.endpoint.LockstepEndpoint.PrimitiveDescriptor;
import io.github.lockstep.autoconfigure.metrics.LockstepMetrics;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link LockstepEndpoint} and its web extension made with {@code new}, over a registry of
 * primitives made in code: what they read and what they change.
 */
class LockstepEndpointWithoutSpringTests {

	private final LockstepRegistry registry = new LockstepRegistry();

	private final LockstepEndpoint endpoint = new LockstepEndpoint(this.registry);

	@Test
	void describesEachPrimitiveFromItsStateAndShowsContentionOnlyWhileMetricsCountIt() {
		AsyncLock lock = this.registry.register(AsyncLock.create("inventory"));
		assertThat(lock.tryAcquire()).isTrue();
		assertThat(this.endpoint.primitive("inventory"))
			.isEqualTo(new PrimitiveDescriptor("inventory", "lock", null, null, null, null, 0, true, null, null, null));

		new LockstepMetrics(this.registry).bindTo(new SimpleMeterRegistry());
		CompletableFuture<Void> queued = lock.acquire();
		assertThat(this.endpoint.primitives().primitives()).containsExactly(
				new PrimitiveDescriptor("inventory", "lock", null, null, null, null, 1, true, null, null, 1L));
		queued.cancel(false);
		lock.release();
	}

	@Test
	void changesEventsAndBarriersAndRefusesWhatAKindDoesNotTake() {
		AsyncEvent event = this.registry.register(AsyncEvent.create("cache-warm"));
		AsyncBarrier barrier = this.registry.register(AsyncBarrier.create("nightly-batch", 2));

		assertThat(this.endpoint.change("cache-warm", "set")).returns(true, PrimitiveDescriptor::set);
		assertThat(event.isSet()).isTrue();
		assertThat(this.endpoint.change("nightly-batch", "abort")).returns(true, PrimitiveDescriptor::broken);
		assertThat(barrier.isBroken()).isTrue();
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.change("cache-warm", "abort"))
			.withMessage("Event 'cache-warm' takes the action set or clear, but was 'abort'");
		assertThat(this.endpoint.change("no-such-thing", "set")).isNull();
	}

	@Test
	void webExtensionAnswersAnActionOnAnUnknownNameWithNotFound() {
		LockstepEndpointWebExtension web = new LockstepEndpointWebExtension(this.endpoint);
		this.registry.register(AsyncEvent.create("cache-warm"));

		assertThat(web.change("no-such-thing", "set").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
		assertThat(web.change("cache-warm", "set").getBody()).returns(true, PrimitiveDescriptor::set);
	}

}
