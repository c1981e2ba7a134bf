package io.github.lockstep.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.LockstepException;
import io.github.lockstep.WaitOutcome;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;

/**
 * One instance's events, barriers and conditions: creates them by name, routes their inbox messages (those
 * that start with {@code '!'}) to them, and, at every renewal, reads the events and renews the
 * barriers in one call per {@value Renewal#CHUNK} of each.
 */
final class SyncRegistry {

	private static final System.Logger log = System.getLogger(SyncRegistry.class.getName());

	/** How long a call lost with its connection waits before it is sent again. */
	private static final Duration RETRY = Duration.ofMillis(50);

	private final RedisBackend backend;

	private final Map<String, RedisEvent> events = new ConcurrentHashMap<>();

	private final Map<String, RedisBarrier> barriers = new ConcurrentHashMap<>();

	private final Map<String, RedisCondition> conditions = new ConcurrentHashMap<>();

	/** Condition waits of this instance by id, for the messages that signal them. */
	private final Map<String, RedisCondition> conditionWaits = new ConcurrentHashMap<>();

	/** Barrier arrivals of this instance by id, for the messages that end them. */
	private final Map<String, RedisBarrier.Arrival> arrivals = new ConcurrentHashMap<>();

	SyncRegistry(RedisBackend backend) {
		this.backend = backend;
	}

	/** The start of every key of the primitive: {@code {<prefix>:<name>}:}. */
	static String tag(RedisBackend backend, String name) {
		return "{" + backend.keyPrefix + ":" + name + "}:";
	}

	/**
	 * The event of that name; a new one registers this instance's interest in it at once, so that
	 * the sets and clears of other instances are announced to it from then on, not only from the
	 * next renewal.
	 */
	RedisEvent event(String name) {
		checkName("Event", name);
		RedisEvent known = this.events.get(name);
		if (known != null) {
			return known;
		}
		RedisEvent event = new RedisEvent(this.backend, name);
		RedisEvent raced = this.events.putIfAbsent(name, event);
		if (raced != null) {
			return raced;
		}
		renewEvents(List.of(event)).exceptionally((ex) -> {
			log.log(System.Logger.Level.DEBUG, "lockstep-redis: Event '" + name + "' registers at the next renewal", ex);
			return null;
		});
		return event;
	}

	RedisBarrier barrier(String name, int parties) {
		checkName("Barrier", name);
		if (parties < 1) {
			throw new IllegalArgumentException("Barrier '" + name + "': parties must be >= 1, but was " + parties);
		}
		RedisBarrier barrier = this.barriers.computeIfAbsent(name, (key) -> new RedisBarrier(this.backend, name, parties));
		if (barrier.parties() != parties) {
			throw new IllegalArgumentException("Barrier '" + name + "': this instance already has it with "
					+ barrier.parties() + " parties, not " + parties + "; one name is one primitive");
		}
		return barrier;
	}

	/**
	 * The condition of that name over {@code lock}, or, given {@code null}, over a lock of its own:
	 * the lock of the same name.
	 */
	RedisCondition condition(String name, AsyncLock lock) {
		checkName("Condition", name);
		RedisLock over;
		if (lock == null) {
			over = new RedisLock(this.backend.permits("Lock", name, 1, true));
		}
		else if (lock instanceof RedisLock redisLock && redisLock.permits().backend == this.backend) {
			over = redisLock;
		}
		else {
			throw new IllegalArgumentException("Condition '" + name + "': its lock must be a lock of the same"
					+ " RedisPrimitives, but was " + lock);
		}
		RedisCondition condition = this.conditions.computeIfAbsent(name,
				(key) -> new RedisCondition(this.backend, name, over, lock == null));
		if (!condition.lock().name().equals(over.name())) {
			throw new IllegalArgumentException("Condition '" + name + "': this instance already has it over lock '"
					+ condition.lock().name() + "', not '" + over.name() + "'; one name is one primitive");
		}
		return condition;
	}

	void register(RedisCondition condition, String id) {
		this.conditionWaits.put(id, condition);
	}

	void unregister(RedisCondition condition, String id) {
		this.conditionWaits.remove(id, condition);
	}

	private void checkName(String kind, String name) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException(kind + " name must not be empty");
		}
		checkOpen(this.backend, kind, name);
	}

	static void checkOpen(RedisBackend backend, String kind, String name) {
		if (backend.isClosed()) {
			throw new IllegalStateException(kind + " '" + name + "': the RedisPrimitives are closed");
		}
	}

	void register(RedisBarrier.Arrival arrival) {
		this.arrivals.put(arrival.id, arrival);
	}

	void unregister(RedisBarrier.Arrival arrival) {
		this.arrivals.remove(arrival.id, arrival);
	}

	// --- messages

	/**
	 * {@code '!e <gen> <v> <name>'} (set), {@code '!x <gen> <v> <name>'} (cleared),
	 * {@code '!c <cwid> ...'} or {@code '!b <v> <broken> <waiting> <bwid>:<code> ...'}.
	 */
	void dispatch(String message) {
		try {
			if (message.startsWith("!e ") || message.startsWith("!x ")) {
				String[] fields = message.split(" ", 4);
				RedisEvent event = this.events.get(fields[3]);
				if (event != null) {
					event.observed(message.charAt(1) == 'e', Long.parseLong(fields[1]), Long.parseLong(fields[2]));
				}
			}
			else if (message.startsWith("!c ")) {
				for (String id : message.substring(3).split(" ")) {
					RedisCondition condition = this.conditionWaits.get(id);
					if (condition != null) {
						condition.signalled(id);
					}
				}
			}
			else if (message.startsWith("!b ")) {
				String[] fields = message.split(" ");
				List<Object> reply = new ArrayList<>(List.of(fields).subList(1, 4));
				RedisBarrier owner = null;
				for (int i = 4; i < fields.length; i++) {
					int colon = fields[i].lastIndexOf(':');
					String id = fields[i].substring(0, colon);
					reply.add(id);
					reply.add(fields[i].substring(colon + 1));
					RedisBarrier.Arrival arrival = this.arrivals.get(id);
					if (arrival != null) {
						owner = arrival.owner();
					}
				}
				if (owner != null) {
					owner.announced(reply);
				}
			}
		}
		catch (RuntimeException ex) {
			log.log(System.Logger.Level.WARNING, "lockstep-redis: could not handle inbox message " + message, ex);
		}
	}

	RedisBarrier.Arrival arrival(String id) {
		return this.arrivals.get(id);
	}

	// --- renewal

	/**
	 * Reads every event and renews every barrier and condition of this instance; completes when
	 * reconciled. Never throws: the renewal of the permits runs in the same tick.
	 */
	CompletableFuture<Void> renew() {
		try {
			return renewAll();
		}
		catch (RuntimeException ex) {
			log.log(System.Logger.Level.ERROR, "lockstep-redis: renewing events, barriers and conditions failed", ex);
			return CompletableFuture.completedFuture(null);
		}
	}

	private CompletableFuture<Void> renewAll() {
		List<CompletableFuture<?>> calls = new ArrayList<>();
		List<RedisEvent> allEvents = new ArrayList<>(this.events.values());
		for (int from = 0; from < allEvents.size(); from += Renewal.CHUNK) {
			calls.add(renewEvents(allEvents.subList(from, Math.min(allEvents.size(), from + Renewal.CHUNK))));
		}
		List<RedisBarrier> allBarriers = new ArrayList<>(this.barriers.values());
		for (int from = 0; from < allBarriers.size(); from += Renewal.CHUNK) {
			calls.add(renewBarriers(allBarriers.subList(from, Math.min(allBarriers.size(), from + Renewal.CHUNK))));
		}
		List<RedisCondition> allConditions = new ArrayList<>(this.conditions.values());
		for (int from = 0; from < allConditions.size(); from += Renewal.CHUNK) {
			calls.add(renewConditions(allConditions.subList(from, Math.min(allConditions.size(), from + Renewal.CHUNK))));
		}
		return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).handle((ignored, ex) -> null);
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<?> renewConditions(List<RedisCondition> chunk) {
		List<String> keys = new ArrayList<>();
		List<String> args = new ArrayList<>(List.of(this.backend.instance, this.backend.leaseMillis,
				this.backend.inboxPrefix, this.backend.retentionMillis()));
		for (RedisCondition condition : chunk) {
			keys.addAll(List.of(condition.keys()));
			List<String> waiting = condition.waitingIds();
			args.add(condition.hasWaits() ? "1" : "0");
			args.add(Integer.toString(waiting.size()));
			args.addAll(waiting);
		}
		return this.backend.link.eval(SyncScript.CONDITION_RENEW, keys.toArray(String[]::new), args.toArray(String[]::new))
			.thenAccept((reply) -> {
				for (int i = 0; i < chunk.size(); i++) {
					chunk.get(i).renewed((List<Object>) reply.get(i));
				}
			});
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<?> renewEvents(List<RedisEvent> chunk) {
		List<String> keys = new ArrayList<>();
		for (RedisEvent event : chunk) {
			keys.addAll(List.of(event.keys()));
		}
		return this.backend.link.eval(SyncScript.EVENT_RENEW, keys.toArray(String[]::new),
				new String[] { this.backend.instance, this.backend.leaseMillis })
			.thenAccept((reply) -> {
				for (int i = 0; i < chunk.size(); i++) {
					chunk.get(i).observed((List<Object>) reply.get(i));
				}
			});
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<?> renewBarriers(List<RedisBarrier> chunk) {
		List<String> keys = new ArrayList<>();
		List<String> args = new ArrayList<>(List.of(this.backend.instance, this.backend.leaseMillis,
				this.backend.inboxPrefix, this.backend.retentionMillis()));
		for (RedisBarrier barrier : chunk) {
			keys.addAll(List.of(barrier.keys()));
			List<String> queued = barrier.queuedIds();
			args.add(Integer.toString(barrier.parties()));
			args.add(barrier.hasArrivals() ? "1" : "0");
			args.add(Integer.toString(queued.size()));
			args.addAll(queued);
		}
		return this.backend.link.eval(SyncScript.BARRIER_RENEW, keys.toArray(String[]::new), args.toArray(String[]::new))
			.thenAccept((reply) -> {
				for (int i = 0; i < chunk.size(); i++) {
					chunk.get(i).renewed((List<Object>) reply.get(i));
				}
			});
	}

	/** Fails this instance's waits and withdraws its arrivals, for {@code close()}; returns the calls. */
	List<CompletableFuture<?>> leave() {
		this.events.values().forEach(RedisEvent::leave);
		this.conditions.values().forEach(RedisCondition::leave);
		List<CompletableFuture<?>> calls = new ArrayList<>();
		this.barriers.values().forEach((barrier) -> calls.addAll(barrier.leave()));
		return calls;
	}

	// --- calls

	/**
	 * Runs one of these primitives' scripts; if the connection fails under it (a reset, a
	 * reconnect), sends it again a moment later, until the command timeout has passed since the
	 * first try. Every script is idempotent, and these calls carry ids: a call that did run the
	 * first time does nothing the second.
	 */
	CompletableFuture<List<Object>> call(SyncScript script, String[] keys, String[] args) {
		CompletableFuture<List<Object>> result = new CompletableFuture<>();
		attempt(script, keys, args, System.nanoTime() + this.backend.link.timeout().toNanos(), result);
		return result;
	}

	private void attempt(SyncScript script, String[] keys, String[] args, long deadline,
			CompletableFuture<List<Object>> result) {
		this.backend.link.eval(script, keys, args).whenComplete((reply, ex) -> {
			if (ex == null) {
				result.complete(reply);
			}
			else if (isConnectionFailure(RedisLink.unwrap(ex)) && !this.backend.isClosed()
					&& deadline - System.nanoTime() > RETRY.toNanos()) {
				try {
					this.backend.schedule(() -> attempt(script, keys, args, deadline, result), RETRY);
				}
				catch (RuntimeException closed) {
					result.completeExceptionally(ex);
				}
			}
			else {
				result.completeExceptionally(RedisLink.unwrap(ex));
			}
		});
	}

	/** A call lost with its connection, as opposed to one Redis refused or that ran out of time. */
	private static boolean isConnectionFailure(Throwable ex) {
		return !(ex instanceof RedisCommandExecutionException) && !(ex instanceof TimeoutException)
				&& !(ex instanceof RedisCommandTimeoutException);
	}

	// --- the synchronous forms of commands

	/**
	 * Waits for a command's answer (at most the command timeout and a little more) and throws what
	 * it failed with; on a thread that reads Redis's replies, where waiting would hang, it returns at
	 * once and logs a failure.
	 */
	static void run(RedisBackend backend, String kind, String name, CompletableFuture<Void> call) {
		if (!Completions.mayBlock()) {
			RedisPermits.logFailure(call);
			return;
		}
		try {
			call.get(backend.link.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new RedisUnavailableException(kind, name, ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new RedisUnavailableException(kind, name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisUnavailableException(kind, name, ex);
		}
	}

	/** How a wait that was given up ended, for the probe. */
	static WaitOutcome outcome(Throwable failure) {
		return (failure instanceof AcquireTimeoutException) ? WaitOutcome.TIMEOUT : WaitOutcome.CANCELLED;
	}

	/** What a failed call means: a definition that differs from Redis's, or Redis unavailable. */
	static LockstepException failure(String kind, String name, Throwable ex, String mismatch) {
		Throwable cause = RedisLink.unwrap(ex);
		String message = String.valueOf(cause.getMessage());
		int at = message.indexOf("LOCKSTEP_MISMATCH ");
		if (at >= 0 && mismatch != null) {
			return new LockstepException(name, kind + " '" + name + "': Redis already has '" + name + "' with "
					+ message.substring(at + "LOCKSTEP_MISMATCH ".length()).trim() + " " + mismatch);
		}
		return new RedisUnavailableException(kind, name, cause);
	}

}
