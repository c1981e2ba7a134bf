package io.github.lockstep;

/**
 * What every Lockstep primitive has in common: a name, used in errors, metrics and lookups.
 *
 * <p>It lets code that handles primitives of any kind, such as a registry that lists them all,
 * hold them by one type:
 * <pre>{@code
 * List<AsyncPrimitive> all = List.of(AsyncLock.create("inventory"), AsyncSemaphore.create("api", 5));
 * all.forEach((primitive) -> System.out.println(primitive.name()));
 * }</pre>
 */
public interface AsyncPrimitive {

	/**
	 * Returns the name used in errors and metrics.
	 * @return the name
	 */
	String name();

}
