package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;

import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link LockstepInterceptor} gets the primitive that an annotation names, and the timeout
 * of a call whose annotation sets none. Asked once per annotated method, when its first call (or
 * Lockstep's startup check) reads its annotations.
 *
 * <p>The auto-configuration's source finds the primitives of {@code lockstep.*} and those
 * registered in code, creates those that only annotations name, and checks that the uses of a
 * name agree. {@link #of(LockstepRegistry)} only finds:
 * <pre>{@code
 * LockstepRegistry registry = new LockstepRegistry();
 * registry.register(AsyncSemaphore.create("payment-api", 5));
 * LockstepInterceptor interceptor = new LockstepInterceptor(PrimitiveSource.of(registry));
 * }</pre>
 */
public interface PrimitiveSource {

	/**
	 * Returns the primitive an annotation uses.
	 * @param use the annotation's use
	 * @return a primitive of {@code use.kind()} named {@code use.name()}
	 * @throws LockstepConfigurationException if there is no such primitive, or the name is of
	 * another kind, or the use disagrees with an earlier one
	 */
	AsyncPrimitive primitive(PrimitiveUse use);

	/**
	 * Returns how long a call waits for the named primitive when its annotation sets no timeout.
	 * @param name the primitive's name
	 * @return the timeout, or {@code null} to wait with no limit (the default)
	 */
	default @Nullable Duration timeout(String name) {
		return null;
	}

	/**
	 * Returns the source that finds every primitive in a registry, by name, and waits with no
	 * limit unless an annotation sets one. Register each primitive the annotations name before
	 * the first call of a method that names it.
	 * @param registry the registry
	 * @return the source
	 */
	static PrimitiveSource of(LockstepRegistry registry) {
		return (use) -> {
			AsyncPrimitive primitive = registry.find(use.name())
				.orElseThrow(() -> new LockstepConfigurationException(use.where() + " uses the " + use.kind().word()
						+ " '" + use.name() + "', but the LockstepRegistry has no primitive of that name.",
						"Register a " + use.kind().word() + " named '" + use.name()
								+ "' in the registry before the first call, or correct the name."));
			if (primitive.kind() != use.kind()) {
				throw new LockstepConfigurationException("'" + use.name() + "' is a " + primitive.kind().word()
						+ ", but " + use.where() + " uses it as a " + use.kind().word() + ".",
						"Name a " + use.kind().word() + " there: one name refers to one primitive, whatever its kind.");
			}
			return primitive;
		};
	}

}
