package io.github.lockstep;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a primitive shows of itself at one moment: the numbers and flags that dashboards, health
 * checks and the Actuator endpoint display, read in one go by {@link AsyncPrimitive#state()}.
 *
 * <p>Every state has a {@linkplain #kind() kind}, a {@linkplain #name() name} and the number of
 * callers {@linkplain #waiting() waiting}; each other field applies to some kinds only and is
 * empty for the others, so a consumer can show what is there without asking the kind:
 * <pre>{@code
 * PrimitiveState state = primitive.state();
 * Map<String, Object> json = new LinkedHashMap<>();
 * json.put("name", state.name());
 * json.put("kind", state.kind().word());
 * json.put("waiting", state.waiting());
 * state.locked().ifPresent((locked) -> json.put("locked", locked));
 * state.availablePermits().ifPresent((available) -> json.put("available", available));
 * state.broken().ifPresent((broken) -> json.put("broken", broken));
 * }</pre>
 *
 * <table>
 * <caption>The fields present per kind</caption>
 * <tr><th>kind</th><th>present besides {@code kind}, {@code name}, {@code waiting}</th></tr>
 * <tr><td>{@code LOCK}</td><td>{@code locked}</td></tr>
 * <tr><td>{@code SEMAPHORE}</td><td>{@code locked}, {@code permits}, {@code availablePermits},
 * {@code bounded}</td></tr>
 * <tr><td>{@code EVENT}</td><td>{@code set}</td></tr>
 * <tr><td>{@code CONDITION}</td><td>{@code locked} (its lock's)</td></tr>
 * <tr><td>{@code BARRIER}</td><td>{@code parties}, {@code broken}</td></tr>
 * </table>
 *
 * <p>Instances are immutable and compare by value; implementations build them with the factory
 * method of their kind.
 */
public final class PrimitiveState {

	private final PrimitiveKind kind;

	private final String name;

	private final int waiting;

	private final Boolean locked;

	private final Integer permits;

	private final Integer available;

	private final Boolean bounded;

	private final Boolean set;

	private final Integer parties;

	private final Boolean broken;

	private PrimitiveState(PrimitiveKind kind, String name, int waiting, Boolean locked, Integer permits,
			Integer available, Boolean bounded, Boolean set, Integer parties, Boolean broken) {
		this.kind = kind;
		this.name = Objects.requireNonNull(name, "name");
		this.waiting = atLeast(0, waiting, "waiting");
		this.locked = locked;
		this.permits = permits;
		this.available = available;
		this.bounded = bounded;
		this.set = set;
		this.parties = parties;
		this.broken = broken;
	}

	/**
	 * Returns the state of a lock.
	 * @param name the lock's name
	 * @param locked whether it is held (also by a waiter it was just handed to)
	 * @param waiting the callers queued
	 * @return the state
	 */
	public static PrimitiveState lock(String name, boolean locked, int waiting) {
		return new PrimitiveState(PrimitiveKind.LOCK, name, waiting, locked, null, null, null, null, null, null);
	}

	/**
	 * Returns the state of a semaphore. It is {@linkplain #locked() locked} when no permit is free
	 * or a caller is queued, as {@link AsyncSemaphore#isLocked()}.
	 * @param name the semaphore's name
	 * @param permits the permits it was created with
	 * @param bounded whether it refuses releases above {@code permits}
	 * @param available the free permits
	 * @param waiting the callers queued
	 * @return the state
	 */
	public static PrimitiveState semaphore(String name, int permits, boolean bounded, int available, int waiting) {
		return new PrimitiveState(PrimitiveKind.SEMAPHORE, name, waiting, available == 0 || waiting > 0,
				atLeast(0, permits, "permits"), atLeast(0, available, "available"), bounded, null, null, null);
	}

	/**
	 * Returns the state of an event.
	 * @param name the event's name
	 * @param set whether the flag is set
	 * @param waiting the callers waiting for it
	 * @return the state
	 */
	public static PrimitiveState event(String name, boolean set, int waiting) {
		return new PrimitiveState(PrimitiveKind.EVENT, name, waiting, null, null, null, null, set, null, null);
	}

	/**
	 * Returns the state of a condition.
	 * @param name the condition's name
	 * @param locked whether its lock is held
	 * @param waiting the callers waiting for a signal (not those signalled and re-acquiring)
	 * @return the state
	 */
	public static PrimitiveState condition(String name, boolean locked, int waiting) {
		return new PrimitiveState(PrimitiveKind.CONDITION, name, waiting, locked, null, null, null, null, null, null);
	}

	/**
	 * Returns the state of a barrier.
	 * @param name the barrier's name
	 * @param parties the callers a round needs
	 * @param broken whether it is broken (aborted and not reset since)
	 * @param waiting the callers waiting in the current round
	 * @return the state
	 */
	public static PrimitiveState barrier(String name, int parties, boolean broken, int waiting) {
		return new PrimitiveState(PrimitiveKind.BARRIER, name, waiting, null, null, null, null, null,
				atLeast(1, parties, "parties"), broken);
	}

	/**
	 * Returns the kind of primitive.
	 * @return the kind
	 */
	public PrimitiveKind kind() {
		return this.kind;
	}

	/**
	 * Returns the primitive's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the callers waiting: queued for the lock or a permit, for the event, for a signal (a
	 * condition), or for the round to fill (a barrier).
	 * @return the number of waiters, zero or more
	 */
	public int waiting() {
		return this.waiting;
	}

	/**
	 * Returns whether an acquisition would have to wait: a lock or a condition's lock is held; a
	 * semaphore has no free permit or a caller queued.
	 * @return whether locked; empty for events and barriers
	 */
	public Optional<Boolean> locked() {
		return Optional.ofNullable(this.locked);
	}

	/**
	 * Returns the permits a semaphore was created with.
	 * @return the permits; empty for other kinds
	 */
	public OptionalInt permits() {
		return optional(this.permits);
	}

	/**
	 * Returns a semaphore's free permits.
	 * @return the free permits; empty for other kinds
	 */
	public OptionalInt availablePermits() {
		return optional(this.available);
	}

	/**
	 * Returns whether a semaphore is bounded.
	 * @return whether bounded; empty for other kinds
	 */
	public Optional<Boolean> bounded() {
		return Optional.ofNullable(this.bounded);
	}

	/**
	 * Returns whether an event is set.
	 * @return whether set; empty for other kinds
	 */
	public Optional<Boolean> set() {
		return Optional.ofNullable(this.set);
	}

	/**
	 * Returns how many callers a barrier's round needs.
	 * @return the parties; empty for other kinds
	 */
	public OptionalInt parties() {
		return optional(this.parties);
	}

	/**
	 * Returns whether a barrier is broken.
	 * @return whether broken; empty for other kinds
	 */
	public Optional<Boolean> broken() {
		return Optional.ofNullable(this.broken);
	}

	private static OptionalInt optional(Integer value) {
		return (value != null) ? OptionalInt.of(value) : OptionalInt.empty();
	}

	private static int atLeast(int minimum, int value, String field) {
		if (value < minimum) {
			throw new IllegalArgumentException(field + " must be >= " + minimum + ", but was " + value);
		}
		return value;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof PrimitiveState that)) {
			return false;
		}
		return this.kind == that.kind && this.name.equals(that.name) && this.waiting == that.waiting
				&& Objects.equals(this.locked, that.locked) && Objects.equals(this.permits, that.permits)
				&& Objects.equals(this.available, that.available) && Objects.equals(this.bounded, that.bounded)
				&& Objects.equals(this.set, that.set) && Objects.equals(this.parties, that.parties)
				&& Objects.equals(this.broken, that.broken);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.kind, this.name, this.waiting, this.locked, this.permits, this.available,
				this.bounded, this.set, this.parties, this.broken);
	}

	/** {@code semaphore 'payment-api' [waiting=7, locked=true, permits=5, available=0, bounded=true]}. */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder(this.kind.word()).append(" '")
			.append(this.name)
			.append("' [waiting=")
			.append(this.waiting);
		field(text, "locked", this.locked);
		field(text, "permits", this.permits);
		field(text, "available", this.available);
		field(text, "bounded", this.bounded);
		field(text, "set", this.set);
		field(text, "parties", this.parties);
		field(text, "broken", this.broken);
		return text.append(']').toString();
	}

	private static void field(StringBuilder text, String name, Object value) {
		if (value != null) {
			text.append(", ").append(name).append('=').append(value);
		}
	}

}
