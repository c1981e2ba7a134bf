package io.github.lockstep;

/** {@link PrimitiveFactory#inMemory()}: the interfaces' static factories, behind the SPI. */
final class InMemoryPrimitives implements PrimitiveFactory {

	static final InMemoryPrimitives INSTANCE = new InMemoryPrimitives();

	private InMemoryPrimitives() {
	}

	@Override
	public String backend() {
		return "memory";
	}

	@Override
	public AsyncLock lock(String name) {
		return AsyncLock.create(name);
	}

	@Override
	public AsyncSemaphore semaphore(String name, int permits, boolean bounded) {
		return bounded ? AsyncSemaphore.bounded(name, permits) : AsyncSemaphore.create(name, permits);
	}

	@Override
	public AsyncEvent event(String name) {
		return AsyncEvent.create(name);
	}

	@Override
	public AsyncCondition condition(String name) {
		return AsyncCondition.create(name);
	}

	@Override
	public AsyncCondition condition(String name, AsyncLock lock) {
		return AsyncCondition.create(name, lock);
	}

	@Override
	public AsyncBarrier barrier(String name, int parties) {
		return AsyncBarrier.create(name, parties);
	}

	@Override
	public String toString() {
		return "PrimitiveFactory [memory]";
	}

}
