package io.github.lockstep.autoconfigure.endpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.github.lockstep.AsyncBarrier;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.PrimitiveKind;
import io.github.lockstep.PrimitiveState;
import io.github.lockstep.autoconfigure.metrics.ContendedCount;
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
 * {@code management.endpoint.lockstep.access=unrestricted}. Each primitive is described from one
 * {@link AsyncPrimitive#state() state()}, which every backend answers without a round trip;
 * {@code contended} is shown while Lockstep's metrics count it ({@link ContendedCount}).
 *
 * <p>Without Spring Boot's auto-configuration, declare it (and, for the 404 of an action on an
 * unknown name over HTTP, its {@link LockstepEndpointWebExtension}) as a bean:
 * <pre>{@code
 * @Bean
 * LockstepEndpoint lockstepEndpoint(LockstepRegistry registry) {
 *     return new LockstepEndpoint(registry);
 * }
 * }</pre>
 */
@Endpoint(id = "lockstep", defaultAccess = Access.READ_ONLY)
public class LockstepEndpoint {

	private final LockstepRegistry registry;

	/**
	 * Creates the endpoint of a registry's primitives.
	 * @param registry the primitives
	 */
	public LockstepEndpoint(LockstepRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Describes every primitive.
	 * @return the primitives, sorted by name
	 */
	@ReadOperation
	public PrimitivesDescriptor primitives() {
		return new PrimitivesDescriptor(this.registry.all().stream().map(LockstepEndpoint::describe).toList());
	}

	/**
	 * Describes one primitive.
	 * @param name the primitive's name
	 * @return its state, or {@code null} (404 over HTTP) if no primitive has that name
	 */
	@ReadOperation
	public PrimitiveDescriptor primitive(@Selector String name) {
		return this.registry.find(name).map(LockstepEndpoint::describe).orElse(null);
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
		Action.of(primitive.kind(), action).orElseThrow(() -> invalidAction(primitive, action)).apply(primitive);
	}

	/** {@code "Event 'cache-warm' takes the action set or clear, but was 'reset'"}. */
	private static InvalidEndpointRequestException invalidAction(AsyncPrimitive primitive, @Nullable String action) {
		String takes = Action.of(primitive.kind()).isEmpty()
				? "takes no action (events take " + Action.words(PrimitiveKind.EVENT) + ", barriers "
						+ Action.words(PrimitiveKind.BARRIER) + ")"
				: "takes the action " + Action.words(primitive.kind());
		String given = (action != null) ? "was '" + action + "'" : "none was given";
		String message = primitive.kind().displayName() + " '" + primitive.name() + "' " + takes + ", but " + given;
		return new InvalidEndpointRequestException(message, message);
	}

	/** One {@code state()} of the primitive, and its meters' count of contended waits, if they keep one. */
	private static PrimitiveDescriptor describe(AsyncPrimitive primitive) {
		PrimitiveState state = primitive.state();
		return new PrimitiveDescriptor(state.name(), state.kind().word(), boxed(state.permits()),
				boxed(state.availablePermits()), boxed(state.parties()), state.set().orElse(null), state.waiting(),
				state.locked().orElse(null), state.bounded().orElse(null), state.broken().orElse(null),
				boxed(ContendedCount.of(primitive)));
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
	 * @param permits semaphores: the permits they were made with
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

	/** The actions of {@link #change}, by the kind that takes them. */
	private enum Action {

		SET(PrimitiveKind.EVENT, (primitive) -> ((AsyncEvent) primitive).set()),

		CLEAR(PrimitiveKind.EVENT, (primitive) -> ((AsyncEvent) primitive).clear()),

		RESET(PrimitiveKind.BARRIER, (primitive) -> ((AsyncBarrier) primitive).reset()),

		ABORT(PrimitiveKind.BARRIER, (primitive) -> ((AsyncBarrier) primitive).abort());

		private final PrimitiveKind kind;

		private final Consumer<AsyncPrimitive> change;

		Action(PrimitiveKind kind, Consumer<AsyncPrimitive> change) {
			this.kind = kind;
			this.change = change;
		}

		void apply(AsyncPrimitive primitive) {
			this.change.accept(primitive);
		}

		String word() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Optional<Action> of(PrimitiveKind kind, @Nullable String word) {
			return of(kind).stream().filter((action) -> action.word().equals(word)).findFirst();
		}

		static List<Action> of(PrimitiveKind kind) {
			return Arrays.stream(values()).filter((action) -> action.kind == kind).toList();
		}

		/** {@code set or clear}. */
		static String words(PrimitiveKind kind) {
			return of(kind).stream().map(Action::word).collect(Collectors.joining(" or "));
		}

	}

}
