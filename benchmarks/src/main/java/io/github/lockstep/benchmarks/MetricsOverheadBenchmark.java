package io.github.lockstep.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.benchmarks.AnnotatedServices.Service;
import io.github.lockstep.spring.LockstepRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Workload 7: what Lockstep's meters (SPEC §5) cost on the paths that never wait, against the
 * targets "with metrics on, an uncontended acquire + release costs at most 2x the bare primitive
 * and an annotated call at most 10% more; with {@code lockstep.metrics.enabled=false} the
 * primitives pay nothing".
 *
 * <ul>
 * <li>{@link #acquireRelease}: one thread acquires a free lock, or the one permit of a semaphore,
 * and releases it (workload 1's loop). {@code metrics}: {@code bare} is a primitive from
 * {@code AsyncLock.create} / {@code AsyncSemaphore.create}, no Spring; {@code off} and {@code on}
 * are the same primitive configured in a Spring context ({@code lockstep.locks.*},
 * {@code lockstep.semaphores.*}) with a {@link PrometheusMeterRegistry}, and
 * {@code lockstep.metrics.enabled} false or true (histogram on). A lock reports every hold to its
 * meters; a bare semaphore acquire and release pair nothing up, so a semaphore's {@code on} row
 * shows what an instrumented semaphore costs when its meters have nothing to count.
 * <li>{@link #sync} and {@link #stage}: workload 6's {@code @Throttled(permits = 1000)} service
 * ({@link AnnotatedServices#startMetered}), with metrics {@code off} or {@code on}. An annotated
 * call reports its permit's hold, so {@code on} counts every call.
 * </ul>
 *
 * <p>Before measuring, each trial checks that its primitives report to the probe its variant says
 * ({@link PrimitiveProbe#NONE} for {@code bare} and {@code off}); after it, that the meters of
 * {@code on} counted what ran, that {@code off} left no {@code lockstep.*} meter in the registry,
 * and that every primitive is idle.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverheadBenchmark {

	static final String LOCK = "metered-lock";

	static final String SEMAPHORE = "metered-semaphore";

	/** The configuration of the two primitives in the {@code off} and {@code on} contexts. */
	private static final Map<String, Object> PRIMITIVES = Map.of("lockstep.locks." + LOCK + ".timeout", "30s",
			"lockstep.semaphores." + SEMAPHORE + ".permits", 1);

	@Benchmark
	public void acquireRelease(Primitives state) {
		CompletableFuture<?> acquisition = state.peer.acquire();
		if (!acquisition.isDone()) {
			throw new IllegalStateException(state + ": an uncontended acquire did not complete at once");
		}
		state.peer.release(acquisition);
	}

	@Benchmark
	public String sync(Calls state) {
		return state.service.sync();
	}

	/** Returns the future, so that escape analysis cannot drop it. */
	@Benchmark
	public CompletableFuture<String> stage(Calls state) {
		CompletableFuture<String> result = state.service.stage();
		if (!result.isDone()) {
			throw new IllegalStateException(state + ": an uncontended call's future did not complete at once");
		}
		return result;
	}

	/** A lock or a semaphore of one permit, bare or from a context with metrics off or on. */
	@State(Scope.Thread)
	public static class Primitives {

		@Param({ "lock", "semaphore" })
		public String primitive;

		@Param({ "bare", "off", "on" })
		public String metrics;

		Peer peer;

		private AsyncPrimitive target;

		/** {@code null} for {@code bare}. */
		private AnnotationConfigApplicationContext context;

		@Setup(Level.Trial)
		public void start() {
			boolean lock = this.primitive.equals("lock");
			if (this.metrics.equals("bare")) {
				this.target = lock ? AsyncLock.create(LOCK) : AsyncSemaphore.create(SEMAPHORE, 1);
			}
			else {
				this.context = AnnotatedServices.startMetered(on(this.metrics), PRIMITIVES);
				LockstepRegistry registry = this.context.getBean(LockstepRegistry.class);
				this.target = lock ? registry.lock(LOCK).orElseThrow() : registry.semaphore(SEMAPHORE).orElseThrow();
			}
			this.peer = lock ? new LockstepLockPeer((AsyncLock) this.target)
					: new LockstepSemaphorePeer((AsyncSemaphore) this.target);
			checkProbe(this, this.target, this.metrics.equals("on"));
			if (this.context != null) {
				checkMeters(this, this.context, this.target.name(), this.metrics.equals("on"));
			}
		}

		@TearDown(Level.Trial)
		public void checkAndClose() {
			try {
				Checks.idle(this.peer, toString());
				checkProbe(this, this.target, this.metrics.equals("on"));
				if (this.context != null) {
					checkMeters(this, this.context, this.target.name(), this.metrics.equals("on"));
				}
				if (this.metrics.equals("on")) {
					MeterRegistry registry = this.context.getBean(MeterRegistry.class);
					if (contended(registry, this.target.name()) != 0) {
						throw new IllegalStateException(this + ": an uncontended acquire was counted as contended");
					}
					if (this.primitive.equals("lock") && held(registry, this.target.name()).count() == 0) {
						throw new IllegalStateException(this + ": the lock's holds were not counted");
					}
				}
			}
			finally {
				if (this.context != null) {
					this.context.close();
				}
			}
		}

		@Override
		public String toString() {
			return this.primitive + "/" + this.metrics;
		}

	}

	/** The {@code @Throttled} service with metrics off or on. */
	@State(Scope.Thread)
	public static class Calls {

		@Param({ "off", "on" })
		public String metrics;

		Service service;

		private AnnotationConfigApplicationContext context;

		/** The benchmark method, which names the semaphore it calls through. */
		private String method;

		private double heldBefore;

		@Setup(Level.Trial)
		public void start(BenchmarkParams params) {
			this.method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
			this.context = AnnotatedServices.startMetered(on(this.metrics), Map.of());
			this.service = this.context.getBean(Service.class);
			if (!AopUtils.isCglibProxy(this.service)) {
				throw new IllegalStateException(this + ": the service is not a class proxy");
			}
			AnnotatedServices.checkThrottledStageWaits(this.context, this.service);
			for (String method : new String[] { "sync", "stage" }) {
				AsyncSemaphore semaphore = AnnotatedServices.throttledSemaphore(this.context, method);
				checkProbe(this, semaphore, this.metrics.equals("on"));
				checkMeters(this, this.context, semaphore.name(), this.metrics.equals("on"));
			}
			if (this.metrics.equals("on")) {
				this.heldBefore = held(this.context.getBean(MeterRegistry.class), "ThrottledService." + this.method).count();
			}
		}

		@TearDown(Level.Trial)
		public void checkAndClose() {
			try {
				for (String method : new String[] { "sync", "stage" }) {
					AsyncSemaphore semaphore = AnnotatedServices.throttledSemaphore(this.context, method);
					if (semaphore.availablePermits() != AnnotatedServices.PERMITS || semaphore.queueLength() != 0) {
						throw new IllegalStateException(this + ": " + semaphore.name() + " is not idle after the trial");
					}
					checkProbe(this, semaphore, this.metrics.equals("on"));
					checkMeters(this, this.context, semaphore.name(), this.metrics.equals("on"));
				}
				if (this.metrics.equals("on")) {
					MeterRegistry registry = this.context.getBean(MeterRegistry.class);
					if (held(registry, "ThrottledService." + this.method).count() <= this.heldBefore) {
						throw new IllegalStateException(this + ": the calls' holds were not counted");
					}
				}
			}
			finally {
				this.context.close();
			}
		}

		@Override
		public String toString() {
			return "@Throttled " + this.method + "/" + this.metrics;
		}

	}

	private static boolean on(String metrics) {
		return switch (metrics) {
			case "on" -> true;
			case "off" -> false;
			default -> throw new IllegalArgumentException("Unknown metrics variant '" + metrics + "'");
		};
	}

	/** The primitive reports to no probe unless metrics are on, and then to one. */
	private static void checkProbe(Object variant, AsyncPrimitive primitive, boolean on) {
		PrimitiveProbe probe = ((Instrumented) primitive).probe();
		if (on == (probe == PrimitiveProbe.NONE)) {
			throw new IllegalStateException(variant + ": '" + primitive.name() + "' reports to " + probe
					+ (on ? ", but metrics are on" : ", but metrics are off"));
		}
	}

	/** With metrics on, the primitive has its meters in the Prometheus registry; off, no primitive has any. */
	private static void checkMeters(Object variant, AnnotationConfigApplicationContext context, String name,
			boolean on) {
		MeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
		if (on) {
			if (registry.find("lockstep.contended").tag("name", name).functionCounter() == null
					|| registry.find("lockstep.held").tag("name", name).functionTimer() == null) {
				throw new IllegalStateException(variant + ": '" + name + "' has no meters, but metrics are on");
			}
		}
		else if (registry.getMeters().stream().anyMatch((meter) -> meter.getId().getName().startsWith("lockstep."))) {
			throw new IllegalStateException(variant + ": lockstep meters are registered, but metrics are off");
		}
	}

	private static double contended(MeterRegistry registry, String name) {
		FunctionCounter counter = registry.get("lockstep.contended").tag("name", name).functionCounter();
		return counter.count();
	}

	private static FunctionTimer held(MeterRegistry registry, String name) {
		return registry.get("lockstep.held").tag("name", name).functionTimer();
	}

}
