package io.github.lockstep.spring;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.PrimitiveKind;

/**
 * Every Lockstep primitive of an application, by name: those configured under {@code lockstep.*},
 * those declared only by annotations, and those {@link #register registered} in code. A name
 * refers to one primitive, whatever its kind.
 *
 * <pre>{@code
 * AsyncLock inventory = registry.lock("inventory").orElseThrow();
 * inventory.withLock(() -> reserve(sku, quantity));
 * }</pre>
 *
 * <p>The lookups are also the way around self-invocation, which a Spring proxy cannot see: a method
 * that calls an annotated method of its own class can take the primitive directly.
 */
public class LockstepRegistry {

	private final ConcurrentSkipListMap<String, AsyncPrimitive> primitives = new ConcurrentSkipListMap<>();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Orders registrations, removals and new listeners, so that a listener hears of each primitive
	 * once and in the order it came and went. Lookups do not take it.
	 */
	private final ReentrantLock changes = new ReentrantLock();

	/**
	 * Returns the lock of the given name.
	 * @param name the name
	 * @return the lock, or empty if no lock has that name
	 */
	public Optional<AsyncLock> lock(String name) {
		return find(name, AsyncLock.class);
	}

	/**
	 * Returns the semaphore (plain or bounded) of the given name.
	 * @param name the name
	 * @return the semaphore, or empty if no semaphore has that name
	 */
	public Optional<AsyncSemaphore> semaphore(String name) {
		return find(name, AsyncSemaphore.class);
	}

	/**
	 * Returns the event of the given name.
	 * @param name the name
	 * @return the event, or empty if no event has that name
	 */
	public Optional<AsyncEvent> event(String name) {
		return find(name, AsyncEvent.class);
	}

	/**
	 * Returns the condition of the given name.
	 * @param name the name
	 * @return the condition, or empty if no condition has that name
	 */
	public Optional<AsyncCondition> condition(String name) {
		return find(name, AsyncCondition.class);
	}

	/**
	 * Returns the barrier of the given name.
	 * @param name the name
	 * @return the barrier, or empty if no barrier has that name
	 */
	public Optional<AsyncBarrier> barrier(String name) {
		return find(name, AsyncBarrier.class);
	}

	/**
	 * Returns the primitive of the given name, whatever its kind.
	 * @param name the name
	 * @return the primitive, or empty if none has that name
	 */
	public Optional<AsyncPrimitive> find(String name) {
		return Optional.ofNullable(this.primitives.get(name));
	}

	/**
	 * Returns every primitive, sorted by name.
	 * @return an unmodifiable snapshot
	 */
	public Collection<AsyncPrimitive> all() {
		return List.copyOf(this.primitives.values());
	}

	/**
	 * Adds a primitive created in code, so that annotations, metrics and the Actuator endpoint
	 * see it like a configured one. Register it before the beans whose annotations name it are
	 * created, for instance from a {@code @Bean} method.
	 * @param <P> the primitive's type
	 * @param primitive the primitive
	 * @return the primitive
	 * @throws IllegalStateException if another primitive already has its name
	 */
	public <P extends AsyncPrimitive> P register(P primitive) {
		PrimitiveKind kind = Objects.requireNonNull(primitive.kind(), "kind");
		this.changes.lock();
		try {
			AsyncPrimitive existing = this.primitives.putIfAbsent(primitive.name(), primitive);
			if (existing != null && existing != primitive) {
				throw new IllegalStateException("Lockstep already has a " + existing.kind().word() + " named '"
						+ primitive.name() + "'; give the new " + kind.word() + " another name");
			}
			if (existing == null) {
				this.listeners.forEach((listener) -> listener.registered(primitive));
			}
			return primitive;
		}
		finally {
			this.changes.unlock();
		}
	}

	/**
	 * Removes the primitive of the given name, together with its meters and endpoint entry. Callers
	 * that hold it can go on using it; annotated methods that name it keep the one they have.
	 * @param name the name
	 * @return the removed primitive, or empty if none had that name
	 */
	public Optional<AsyncPrimitive> remove(String name) {
		this.changes.lock();
		try {
			AsyncPrimitive removed = this.primitives.remove(name);
			if (removed != null) {
				this.listeners.forEach((listener) -> listener.removed(removed));
			}
			return Optional.ofNullable(removed);
		}
		finally {
			this.changes.unlock();
		}
	}

	/**
	 * Tells {@code listener} of every primitive registered from now on and of every removal, after
	 * telling it of each primitive registered so far.
	 * @param listener the listener
	 */
	public void addListener(Listener listener) {
		this.changes.lock();
		try {
			this.listeners.add(listener);
			this.primitives.values().forEach(listener::registered);
		}
		finally {
			this.changes.unlock();
		}
	}

	/**
	 * Hears of primitives as they are registered and removed; Lockstep's meters are bound this way.
	 */
	public interface Listener {

		/**
		 * Called once a primitive is registered.
		 * @param primitive the primitive
		 */
		void registered(AsyncPrimitive primitive);

		/**
		 * Called once a primitive is removed.
		 * @param primitive the primitive
		 */
		void removed(AsyncPrimitive primitive);

	}

	private <P extends AsyncPrimitive> Optional<P> find(String name, Class<P> type) {
		AsyncPrimitive primitive = this.primitives.get(name);
		return type.isInstance(primitive) ? Optional.of(type.cast(primitive)) : Optional.empty();
	}

}
