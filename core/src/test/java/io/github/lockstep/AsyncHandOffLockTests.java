package io.github.lockstep;

import org.junit.jupiter.api.AfterEach;

/** Runs the {@link AsyncLock} contract against locks whose hand-off is asynchronous. */
class AsyncHandOffLockTests extends AsyncLockContractTests {

	private final AsyncHandOffPrimitives primitives = new AsyncHandOffPrimitives();

	@Override
	protected AsyncLock createLock(String name) {
		return this.primitives.lock(name);
	}

	@AfterEach
	void close() {
		this.primitives.close();
	}

}
