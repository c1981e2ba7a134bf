package io.github.lockstep.autoconfigure;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncBarrierContractTests;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncConditionContractTests;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncEventContractTests;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncLockContractTests;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.AsyncSemaphoreContractTests;
import org.junit.jupiter.api.Nested;

/**
 * The core's contract suites, unchanged, against the test-only backend of
 * {@link ForwardingPrimitives}: the backend that the endpoint, health, metrics and call tests run
 * on ({@code …OnAnotherBackendTests}) is a correct implementation of the interfaces, so what those
 * tests show holds for any backend that passes the same suites.
 */
class ForwardingPrimitivesContractTests {

	private final ForwardingPrimitives primitives = new ForwardingPrimitives();

	@Nested
	class Lock extends AsyncLockContractTests {

		@Override
		protected AsyncLock createLock(String name) {
			return ForwardingPrimitivesContractTests.this.primitives.lock(name);
		}

	}

	@Nested
	class Semaphore extends AsyncSemaphoreContractTests {

		@Override
		protected AsyncSemaphore createSemaphore(String name, int permits) {
			return ForwardingPrimitivesContractTests.this.primitives.semaphore(name, permits, false);
		}

		@Override
		protected AsyncSemaphore createBounded(String name, int permits) {
			return ForwardingPrimitivesContractTests.this.primitives.semaphore(name, permits, true);
		}

	}

	@Nested
	class Event extends AsyncEventContractTests {

		@Override
		protected AsyncEvent createEvent(String name) {
			return ForwardingPrimitivesContractTests.this.primitives.event(name);
		}

	}

	@Nested
	class Condition extends AsyncConditionContractTests {

		@Override
		protected AsyncCondition createCondition(String name) {
			return ForwardingPrimitivesContractTests.this.primitives.condition(name);
		}

		@Override
		protected AsyncCondition createCondition(String name, AsyncLock lock) {
			return ForwardingPrimitivesContractTests.this.primitives.condition(name, lock);
		}

		@Override
		protected AsyncLock createLock(String name) {
			return ForwardingPrimitivesContractTests.this.primitives.lock(name);
		}

	}

	@Nested
	class Barrier extends AsyncBarrierContractTests {

		@Override
		protected AsyncBarrier createBarrier(String name, int parties) {
			return ForwardingPrimitivesContractTests.this.primitives.barrier(name, parties);
		}

	}

}
