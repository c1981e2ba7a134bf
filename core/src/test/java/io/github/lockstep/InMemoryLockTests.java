package io.github.lockstep;

/** Runs the {@link AsyncLock} contract against {@link AsyncLock#create(String)}. */
class InMemoryLockTests extends AsyncLockContractTests {

	@Override
	protected AsyncLock createLock(String name) {
		return AsyncLock.create(name);
	}

}
