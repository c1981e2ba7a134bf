package io.github.lockstep.autoconfigure;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.spring.LockstepRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** The five primitives of {@code lockstep-actuator.yml}, which the endpoint and health tests share. */
public final class ActuatorPrimitives {

	private ActuatorPrimitives() {
	}

	/** Checks that a test left every configured primitive as it found it. */
	public static void assertIdle(LockstepRegistry registry) {
		assertThat(registry.semaphore("payment-api")).get().returns(5, AsyncSemaphore::availablePermits)
			.returns(0, AsyncSemaphore::queueLength);
		assertThat(registry.lock("inventory")).get().returns(false, AsyncLock::isLocked)
			.returns(0, AsyncLock::queueLength);
		assertThat(registry.event("cache-warm")).get().returns(false, AsyncEvent::isSet)
			.returns(0, AsyncEvent::queueLength);
		assertThat(registry.condition("account")).get().returns(false, AsyncCondition::isLocked)
			.returns(0, AsyncCondition::queueLength);
		assertThat(registry.barrier("nightly-batch")).get().returns(false, AsyncBarrier::isBroken)
			.returns(0, AsyncBarrier::numberWaiting);
		assertThat(registry.all()).extracting(AsyncPrimitive::name)
			.containsExactly("account", "cache-warm", "inventory", "nightly-batch", "payment-api");
	}

}
