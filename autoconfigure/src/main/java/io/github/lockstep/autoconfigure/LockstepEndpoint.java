package io.github.lockstep.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncCondition;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.spring.LockstepRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The Actuator endpoint {@code lockstep}: the state of every primitive of the
 * {@link LockstepRegistry}, and the actions that set or clear an event and reset or abort a
 * barrier.
 *
 * <pre>{@code
 * GET  /actuator/lockstep              {"primitives": [{"name": "cache-warm", "kind": "event", ...}, ...]}
 * GET  /actuator/lockstep/payment-api  {"name": "payment-api", "kind": "semaphore", "permits": 5,
 *                                       "available": 0, "waiting": 7, "locked": true, "bounded": true,
 *                                       "contended": 131}
 * POST /actuator/lockstep/cache-warm   {"action": "set"}
 * }</pre>
 *
 * <p>Its default access is read-only: the actions need
 * {@code management.endpoint.lockstep.access=unrestricted}. {@code contended} is shown while
 * Lockstep's metrics are on, and a semaphore's {@code permits} when it was made from configuration
 * or an annotation.
 */
@Endpoint(id = "lockstep", defaultAccess = Access.READ_ONLY)
public class LockstepEndpoint {

	private final LockstepRegistry registry;

	private final PrimitiveFacts facts;

	LockstepEndpoint(LockstepRegistry registry, PrimitiveFacts facts) {
		this.registry = registry;
		this.facts = facts;
	}

	/**
	 * Describes every primitive.
	 * @return the primitives, sorted by name
	 */
	@ReadOperation
	public PrimitivesDescriptor primitives() {
		return new PrimitivesDescriptor(this.registry.all().stream().map(this::describe).toList());
	}

	/**
	 * Describes one primitive.
	 * @param name the primitive's name
	 * @return its state, or {@code null} (404 over HTTP) if no primitive has that name
	 */
	@ReadOperation
	public PrimitiveDescriptor primitive(@Selector String name) {
		return this.registry.find(name).map(this::describe).orElse(null);
	}

	/**
	 * Sets or clears an event, or resets or aborts a barrier.
	 * @param name the primitive's name
	 * @param action {@code set} or {@code clear} for an event, {@code reset} or {@code abort} for a
	 * barrier
	 * @return the primitive's new state, or {@code null} if no primitive has that name
	 * @throws InvalidEndpointRequestException (400 over HTTP) if the primitive does not take the
	 * action, or none was given
	 */
	@WriteOperation
	public PrimitiveDescriptor change(@Selector String name, @Nullable String action) {
		AsyncPrimitive primitive = this.registry.find(name).orElse(null);
		if (primitive == null) {
			return null;
		}
		apply(primitive, action);
		return describe(primitive);
	}

	private static void apply(AsyncPrimitive primitive, @Nullable String action) {
		if (primitive instanceof AsyncEvent event) {
			if ("set".equals(action)) {
				event.set();
				return;
			}
			if ("clear".equals(action)) {
				event.clear();
				return;
			}
		}
		else if (primitive instanceof AsyncBarrier barrier) {
			if ("reset".equals(action)) {
				barrier.reset();
				return;
			}
			if ("abort".equals(action)) {
				barrier.abort();
				return;
			}
		}
		throw invalidAction(primitive, action);
	}

	/** {@code "Event 'cache-warm' takes the action set or clear, but was 'reset'"}. */
	private static InvalidEndpointRequestException invalidAction(AsyncPrimitive primitive, @Nullable String action) {
		String kind = LockstepRegistry.kind(primitive);
		String takes = switch (kind) {
			case "event" -> "takes the action set or clear";
			case "barrier" -> "takes the action reset or abort";
			default -> "takes no action (events take set or clear, barriers reset or abort)";
		};
		String given = (action != null) ? "was '" + action + "'" : "none was given";
		String message = kind.substring(0, 1).toUpperCase(Locale.ROOT) + kind.substring(1) + " '" + primitive.name()
				+ "' " + takes + ", but " + given;
		return new InvalidEndpointRequestException(message, message);
	}

	private PrimitiveDescriptor describe(AsyncPrimitive primitive) {
		String name = primitive.name();
		String kind = LockstepRegistry.kind(primitive);
		Long contended = boxed(this.facts.contended(primitive));
		if (primitive instanceof AsyncSemaphore semaphore) {
			return new PrimitiveDescriptor(name, kind, boxed(this.facts.permits(name)), semaphore.availablePermits(),
					null, null, semaphore.queueLength(), semaphore.isLocked(), semaphore.isBounded(), null, contended);
		}
		if (primitive instanceof AsyncLock lock) {
			return new PrimitiveDescriptor(name, kind, null, null, null, null, lock.queueLength(), lock.isLocked(),
					null, null, contended);
		}
		if (primitive instanceof AsyncEvent event) {
			return new PrimitiveDescriptor(name, kind, null, null, null, event.isSet(), event.queueLength(), null,
					null, null, contended);
		}
		if (primitive instanceof AsyncCondition condition) {
			return new PrimitiveDescriptor(name, kind, null, null, null, null, condition.queueLength(),
					condition.isLocked(), null, null, contended);
		}
		AsyncBarrier barrier = (AsyncBarrier) primitive;
		return new PrimitiveDescriptor(name, kind, null, null, barrier.parties(), null, barrier.numberWaiting(), null,
				null, barrier.isBroken(), contended);
	}

	private static Integer boxed(OptionalInt value) {
		return value.isPresent() ? value.getAsInt() : null;
	}

	private static Long boxed(OptionalLong value) {
		return value.isPresent() ? value.getAsLong() : null;
	}

	/**
	 * Every primitive, sorted by name.
	 * @param primitives the primitives
	 */
	public record PrimitivesDescriptor(List<PrimitiveDescriptor> primitives) implements OperationResponseBody {

	}

	/**
	 * The state of one primitive. The fields that do not apply to its kind are {@code null} and
	 * left out of the JSON.
	 * @param name the name
	 * @param kind {@code lock}, {@code semaphore}, {@code event}, {@code condition} or
	 * {@code barrier}
	 * @param permits semaphores: the permits they were made with, if known
	 * @param available semaphores: the free permits
	 * @param parties barriers: the calls that make a round
	 * @param set events: whether set
	 * @param waiting the callers queued now (a condition's: those waiting for a signal)
	 * @param locked locks, conditions and semaphores: whether locked (a semaphore: no free permit,
	 * or a caller queued)
	 * @param bounded semaphores: whether bounded
	 * @param broken barriers: whether broken
	 * @param contended the acquisitions or waits that had to queue so far, while metrics are on
	 */
	@JsonInclude(Include.NON_NULL)
	public record PrimitiveDescriptor(String name, String kind, Integer permits, Integer available, Integer parties,
			Boolean set, Integer waiting, Boolean locked, Boolean bounded, Boolean broken, Long contended)
			implements OperationResponseBody {

	}

}
