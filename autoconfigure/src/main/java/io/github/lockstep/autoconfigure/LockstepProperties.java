package io.github.lockstep.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * Lockstep's configuration: the named primitives and how annotated calls use them.
 *
 * <pre>{@code
 * lockstep:
 *   default-timeout: 30s
 *   semaphores:
 *     payment-api: { permits: 5, bounded: true }
 * }</pre>
 *
 * <p>Names are map keys; a name that holds anything but lowercase letters, digits and {@code -}
 * (a dot, say, as in the default name {@code Mailer.send}) is written in brackets:
 * {@code "[Mailer.send]": { permits: 2 }}, which is Spring Boot's rule for map keys. Give every
 * entry at least one setting ({@code ledger: { timeout: 10s }}): Spring Boot's YAML loading drops
 * an empty {@code ledger: {}} before Lockstep can see it.
 */
@ConfigurationProperties("lockstep")
public class LockstepProperties {

	/**
	 * Whether Lockstep's primitives and annotations are active.
	 */
	private boolean enabled = true;

	/**
	 * How long an annotated call waits when neither its annotation nor its primitive sets a
	 * timeout. Unset: no limit.
	 */
	private Duration defaultTimeout;

	/**
	 * Whether an annotation that names a primitive not configured here fails startup, which
	 * catches misspelt names. Unnamed annotations are not affected.
	 */
	private boolean strict;

	/**
	 * Order of Lockstep's interceptor among other advice; a lower value runs further outside. The
	 * default runs outside @Transactional and @Cacheable, so a lock is held until the transaction
	 * has committed.
	 */
	private int interceptorOrder = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Name of the Executor bean that runs admitted asynchronous calls. Unset: a call that had to
	 * wait runs on the thread that freed its place.
	 */
	private String asyncExecutor;

	/**
	 * Backend of every primitive that does not name its own: "memory" (in this process) or the
	 * id of another PrimitiveFactory bean, such as "redis" with lockstep-redis.
	 */
	private String backend = "memory";

	private final Metrics metrics = new Metrics();

	/**
	 * Locks, by name.
	 */
	private Map<String, Lock> locks = new LinkedHashMap<>();

	/**
	 * Semaphores, by name.
	 */
	private Map<String, Semaphore> semaphores = new LinkedHashMap<>();

	/**
	 * Events, by name.
	 */
	private Map<String, Event> events = new LinkedHashMap<>();

	/**
	 * Conditions, by name.
	 */
	private Map<String, Condition> conditions = new LinkedHashMap<>();

	/**
	 * Barriers, by name.
	 */
	private Map<String, Barrier> barriers = new LinkedHashMap<>();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = defaultTimeout;
	}

	public boolean isStrict() {
		return this.strict;
	}

	public void setStrict(boolean strict) {
		this.strict = strict;
	}

	public int getInterceptorOrder() {
		return this.interceptorOrder;
	}

	public void setInterceptorOrder(int interceptorOrder) {
		this.interceptorOrder = interceptorOrder;
	}

	public String getAsyncExecutor() {
		return this.asyncExecutor;
	}

	public void setAsyncExecutor(String asyncExecutor) {
		this.asyncExecutor = asyncExecutor;
	}

	public String getBackend() {
		return this.backend;
	}

	public void setBackend(String backend) {
		this.backend = backend;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public Map<String, Lock> getLocks() {
		return this.locks;
	}

	public void setLocks(Map<String, Lock> locks) {
		this.locks = locks;
	}

	public Map<String, Semaphore> getSemaphores() {
		return this.semaphores;
	}

	public void setSemaphores(Map<String, Semaphore> semaphores) {
		this.semaphores = semaphores;
	}

	public Map<String, Event> getEvents() {
		return this.events;
	}

	public void setEvents(Map<String, Event> events) {
		this.events = events;
	}

	public Map<String, Condition> getConditions() {
		return this.conditions;
	}

	public void setConditions(Map<String, Condition> conditions) {
		this.conditions = conditions;
	}

	public Map<String, Barrier> getBarriers() {
		return this.barriers;
	}

	public void setBarriers(Map<String, Barrier> barriers) {
		this.barriers = barriers;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * The health contributor {@code lockstep}.
	 */
	public static class Health {

		/**
		 * Whether a broken barrier turns the 'lockstep' health contributor DOWN. Off: broken
		 * barriers are only listed in its details, so that an instance does not leave rotation
		 * for one.
		 */
		private boolean downOnBrokenBarrier;

		public boolean isDownOnBrokenBarrier() {
			return this.downOnBrokenBarrier;
		}

		public void setDownOnBrokenBarrier(boolean downOnBrokenBarrier) {
			this.downOnBrokenBarrier = downOnBrokenBarrier;
		}

	}

	/**
	 * Micrometer meters of the primitives.
	 */
	public static class Metrics {

		/**
		 * Whether every primitive publishes lockstep.* meters. When false, no meter exists and the
		 * primitives pay nothing for them.
		 */
		private boolean enabled = true;

		/**
		 * Whether lockstep.wait publishes percentile histogram buckets, for wait-time percentiles
		 * in Prometheus and Grafana.
		 */
		private boolean histogram = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isHistogram() {
			return this.histogram;
		}

		public void setHistogram(boolean histogram) {
			this.histogram = histogram;
		}

	}

	/**
	 * What every primitive may set.
	 */
	public abstract static class Primitive {

		/**
		 * How long annotated calls wait for this primitive when their annotation sets no timeout.
		 * A bean's own acquire() waits as its signature says.
		 */
		private Duration timeout;

		/**
		 * Backend of this primitive, overriding lockstep.backend: "memory", or the id of another
		 * PrimitiveFactory bean, such as "redis".
		 */
		private String backend;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public String getBackend() {
			return this.backend;
		}

		public void setBackend(String backend) {
			this.backend = backend;
		}

	}

	/**
	 * A lock.
	 */
	public static class Lock extends Primitive {

	}

	/**
	 * A semaphore.
	 */
	public static class Semaphore extends Primitive {

		/**
		 * Number of permits: how many holders at once. Required, 1 or more.
		 */
		private Integer permits;

		/**
		 * Whether a release beyond the initial permits fails (asyncio's BoundedSemaphore).
		 */
		private boolean bounded;

		public Integer getPermits() {
			return this.permits;
		}

		public void setPermits(Integer permits) {
			this.permits = permits;
		}

		public boolean isBounded() {
			return this.bounded;
		}

		public void setBounded(boolean bounded) {
			this.bounded = bounded;
		}

	}

	/**
	 * An event.
	 */
	public static class Event extends Primitive {

		/**
		 * Whether the event starts set.
		 */
		private boolean initiallySet;

		public boolean isInitiallySet() {
			return this.initiallySet;
		}

		public void setInitiallySet(boolean initiallySet) {
			this.initiallySet = initiallySet;
		}

	}

	/**
	 * A condition.
	 */
	public static class Condition extends Primitive {

		/**
		 * Name of a configured lock that the condition shares. Unset: the condition has a lock of
		 * its own.
		 */
		private String lock;

		public String getLock() {
			return this.lock;
		}

		public void setLock(String lock) {
			this.lock = lock;
		}

	}

	/**
	 * A barrier.
	 */
	public static class Barrier extends Primitive {

		/**
		 * Number of calls that make a round. Required, 1 or more.
		 */
		private Integer parties;

		public Integer getParties() {
			return this.parties;
		}

		public void setParties(Integer parties) {
			this.parties = parties;
		}

	}

}
