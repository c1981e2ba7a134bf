package io.github.lockstep.autoconfigure.metrics;

import io.github.lockstep.autoconfigure.ForwardingPrimitives;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link LockstepMetricsTests} on a second backend ({@link ForwardingPrimitives}), chosen with
 * {@code lockstep.backend}: the meters need nothing of the in-memory primitives' classes.
 */
class LockstepMetricsOnAnotherBackendTests extends LockstepMetricsTests {

	@Override
	ApplicationContextRunner onBackend(ApplicationContextRunner runner) {
		return runner.withBean(ForwardingPrimitives.class)
			.withPropertyValues("lockstep.backend=" + ForwardingPrimitives.BACKEND);
	}

	@Test
	void everyConfiguredPrimitiveComesFromTheOtherBackend() {
		this.contextRunner
			.run((context) -> ForwardingPrimitives.assertAllForwarding(context.getBean(LockstepRegistry.class)));
	}

}
