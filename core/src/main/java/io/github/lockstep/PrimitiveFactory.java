package io.github.lockstep;

/**
 * Creates primitives of one backend: the one way to make a lock, semaphore, event, condition or
 * barrier without naming where it lives. {@link #inMemory()} is the default; a backend that keeps
 * the primitives elsewhere (shared by several processes, over the network) implements the same
 * methods, so code written against a factory, such as Lockstep's Spring integration, works with
 * any backend.
 *
 * <pre>{@code
 * PrimitiveFactory primitives = PrimitiveFactory.inMemory();
 *
 * AsyncSemaphore api = primitives.semaphore("payment-api", 5, true);
 * AsyncLock inventory = primitives.lock("inventory");
 * AsyncCondition stock = primitives.condition("stock", inventory);
 * }</pre>
 *
 * <p>Every method creates a new primitive and keeps no record of it: looking primitives up by
 * name is the caller's business. What a name means beyond this process depends on the backend:
 * in memory, two primitives are always independent; on a shared backend, primitives of the same
 * kind and name in different processes are one primitive, and creating one with different
 * settings (permits, parties) than the existing one fails. Names must not be blank.
 *
 * <p>Implementations are thread-safe.
 */
public interface PrimitiveFactory {

	/**
	 * Returns the factory of in-memory primitives, those of the interfaces' static factories.
	 * @return the in-memory factory, whose {@link #backend()} is {@code "memory"}
	 */
	static PrimitiveFactory inMemory() {
		return InMemoryPrimitives.INSTANCE;
	}

	/**
	 * Returns the backend's id, as the {@code lockstep.backend} setting names it.
	 * @return for example {@code "memory"} or {@code "redis"}
	 */
	String backend();

	/**
	 * Creates a fair lock.
	 * @param name the name used in errors and metrics
	 * @return a new lock, unlocked unless the backend already holds it
	 * @throws IllegalArgumentException if {@code name} is blank
	 */
	AsyncLock lock(String name);

	/**
	 * Creates a fair semaphore.
	 * @param name the name used in errors and metrics
	 * @param permits the initial number of permits, zero or more
	 * @param bounded whether it refuses releases above {@code permits}
	 * @return a new semaphore
	 * @throws IllegalArgumentException if {@code name} is blank or {@code permits} negative
	 */
	AsyncSemaphore semaphore(String name, int permits, boolean bounded);

	/**
	 * Creates an event, initially clear unless the backend already has it set.
	 * @param name the name used in errors and metrics
	 * @return a new event
	 * @throws IllegalArgumentException if {@code name} is blank
	 */
	AsyncEvent event(String name);

	/**
	 * Creates a condition with a lock of its own.
	 * @param name the name used in errors and metrics
	 * @return a new condition
	 * @throws IllegalArgumentException if {@code name} is blank
	 */
	AsyncCondition condition(String name);

	/**
	 * Creates a condition over an existing lock, which several conditions may share. A backend
	 * may require a lock it created itself (one that lives where the condition does).
	 * @param name the name used in errors and metrics
	 * @param lock the lock that {@code await} releases and re-acquires
	 * @return a new condition
	 * @throws IllegalArgumentException if {@code name} is blank, {@code lock} is null or of a
	 * kind of lock this backend cannot wait on
	 */
	AsyncCondition condition(String name, AsyncLock lock);

	/**
	 * Creates a cyclic barrier.
	 * @param name the name used in errors and metrics
	 * @param parties how many callers a round needs, one or more
	 * @return a new barrier
	 * @throws IllegalArgumentException if {@code name} is blank or {@code parties} less than one
	 */
	AsyncBarrier barrier(String name, int parties);

}
