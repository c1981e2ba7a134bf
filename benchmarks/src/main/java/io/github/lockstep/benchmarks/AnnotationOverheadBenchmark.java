package io.github.lockstep.benchmarks;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.benchmarks.AnnotatedServices.Service;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
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

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Workload 6: one thread calls a trivial service method through a Spring proxy whose only advice
 * is a concurrency limit with permits to spare, and the unannotated method directly. The
 * difference is what the limit's interception costs per call. {@code sync} returns a value;
 * {@code stage} returns a completed {@code CompletableFuture}, which must still be complete when
 * it reaches the caller.
 *
 * <p>Each trial starts the variant's Spring context (see {@link AnnotatedServices}) and checks that
 * the variant's advice, and only it, is on the bean before it measures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AnnotationOverheadBenchmark {

	@Param({ "unannotated", "proxy-only", "lockstep", "concurrency-limit", "resilience4j" })
	public String variant;

	private AnnotationConfigApplicationContext context;

	private Service service;

	@Setup(Level.Trial)
	public void start() {
		this.context = AnnotatedServices.start(this.variant);
		this.service = this.context.getBean(Service.class);
		checkAdvice();
		if (this.variant.equals("lockstep")) {
			AnnotatedServices.checkThrottledStageWaits(this.context, this.service);
		}
		else if (this.variant.equals("resilience4j")) {
			checkBulkheadRefuses();
		}
	}

	@Benchmark
	public String sync() {
		return this.service.sync();
	}

	/** Returns the future, so that every variant allocates it (escape analysis cannot drop it). */
	@Benchmark
	public CompletableFuture<String> stage() {
		CompletableFuture<String> result = this.service.stage();
		if (!result.isDone()) {
			throw new IllegalStateException(this.variant + ": an uncontended call's future did not complete at once");
		}
		return result;
	}

	@TearDown(Level.Trial)
	public void checkIdleAndClose() {
		try {
			switch (this.variant) {
				case "lockstep" -> {
					for (String method : new String[] { "sync", "stage" }) {
						AsyncSemaphore semaphore = AnnotatedServices.throttledSemaphore(this.context, method);
						if (semaphore.availablePermits() != AnnotatedServices.PERMITS || semaphore.queueLength() != 0) {
							throw new IllegalStateException("lockstep: " + semaphore.name() + " is not idle after the trial");
						}
					}
				}
				case "resilience4j" -> {
					for (String method : new String[] { "sync", "stage" }) {
						Bulkhead bulkhead = bulkhead(method);
						if (bulkhead.getMetrics().getAvailableConcurrentCalls() != AnnotatedServices.PERMITS) {
							throw new IllegalStateException("resilience4j: " + bulkhead.getName() + " is not idle after the trial");
						}
					}
				}
				default -> {
				}
			}
		}
		finally {
			this.context.close();
		}
	}

	/** The unannotated bean must not be proxied; the others must carry their variant's advice. */
	private void checkAdvice() {
		boolean proxied = AopUtils.isAopProxy(this.service);
		if (this.variant.equals("unannotated")) {
			if (proxied) {
				throw new IllegalStateException("unannotated: the service is proxied");
			}
			return;
		}
		if (!AopUtils.isCglibProxy(this.service)) {
			throw new IllegalStateException(this.variant + ": the service is not a class proxy");
		}
		// AspectJ auto-proxying puts ExposeInvocationInterceptor first, for its join points
		Advisor[] advisors = Arrays.stream(((Advised) this.service).getAdvisors())
			.filter((advisor) -> advisor != ExposeInvocationInterceptor.ADVISOR)
			.toArray(Advisor[]::new);
		String expected = switch (this.variant) {
			case "proxy-only" -> AnnotatedServices.class.getName();
			case "lockstep" -> "io.github.lockstep.autoconfigure.";
			case "concurrency-limit" -> "org.springframework.resilience.annotation.";
			default -> "io.github.resilience4j.spring6.bulkhead.configure.BulkheadAspect";
		};
		boolean only = advisors.length == 1 && (advisors[0].getClass().getName().startsWith(expected)
				|| advisors[0].getAdvice().getClass().getName().startsWith(expected)
				|| advisors[0].toString().contains(expected));
		if (!only) {
			throw new IllegalStateException(this.variant + ": expected one advisor of " + expected + ", but found "
					+ Arrays.toString(advisors));
		}
	}

	/** With every permit taken, both methods must be refused. */
	private void checkBulkheadRefuses() {
		for (String method : new String[] { "sync", "stage" }) {
			Bulkhead bulkhead = bulkhead(method);
			for (int i = 0; i < AnnotatedServices.PERMITS; i++) {
				if (!bulkhead.tryAcquirePermission()) {
					throw new IllegalStateException("resilience4j: " + bulkhead.getName() + " has fewer permits than configured");
				}
			}
			boolean refused = method.equals("sync") ? syncRefused() : stageRefused();
			for (int i = 0; i < AnnotatedServices.PERMITS; i++) {
				bulkhead.onComplete();
			}
			if (!refused) {
				throw new IllegalStateException("resilience4j: a call passed a full " + bulkhead.getName());
			}
		}
	}

	private boolean syncRefused() {
		try {
			this.service.sync();
			return false;
		}
		catch (BulkheadFullException ex) {
			return true;
		}
	}

	private boolean stageRefused() {
		return this.service.stage().handle((value, failure) -> failure instanceof BulkheadFullException).join();
	}

	private Bulkhead bulkhead(String method) {
		String name = "BulkheadService." + method;
		return this.context.getBean(BulkheadRegistry.class)
			.find(name)
			.orElseThrow(() -> new IllegalStateException("resilience4j: no bulkhead '" + name + "'"));
	}

}
