package io.github.lockstep;

/** Runs the {@link AsyncBarrier} contract against {@link AsyncBarrier#create(String, int)}. */
class InMemoryBarrierTests extends AsyncBarrierContractTests {

	@Override
	protected AsyncBarrier createBarrier(String name, int parties) {
		return AsyncBarrier.create(name, parties);
	}

}
