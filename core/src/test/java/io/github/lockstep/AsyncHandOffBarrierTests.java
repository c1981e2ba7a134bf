package io.github.lockstep;

import org.junit.jupiter.api.AfterEach;

/** Runs the {@link AsyncBarrier} contract against barriers whose waiters complete asynchronously. */
class AsyncHandOffBarrierTests extends AsyncBarrierContractTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@Override
	protected AsyncBarrier createBarrier(String name, int parties) {
		return this.primitives.barrier(name, parties);
	}

	@AfterEach
	void close() {
		this.primitives.close();
	}

}
