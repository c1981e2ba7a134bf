package io.github.lockstep.autoconfigure.interceptor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncEvent;
import io.github.lockstep.AsyncLock;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.Instrumented;
import io.github.lockstep.PrimitiveProbe;
import io.github.lockstep.annotation.Guarded;
import io.github.lockstep.annotation.SetEvent;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepConfigurationException;
import io.github.lockstep.spring.LockstepRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.MethodMatcher;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link LockstepInterceptor} and {@link LockstepAdvisor} on a {@link ProxyFactory}, without a
 * Spring context, over primitives registered in code: as Micrometer's {@code TimedAspect} is
 * tested.
 */
class LockstepInterceptorTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private final LockstepRegistry registry = new LockstepRegistry();

	private final AsyncSemaphore paymentApi = this.registry.register(AsyncSemaphore.create("payment-api", 1));

	private final AsyncLock inventory = this.registry.register(AsyncLock.create("inventory"));

	private final AsyncEvent charged = this.registry.register(AsyncEvent.create("charged"));

	@Test
	void syncCallHoldsItsPermitWhileItRunsAndGivesItBack() {
		PaymentClient client = proxy(new PaymentClient(), new LockstepInterceptor(this.registry));

		assertThat(client.charge(this.paymentApi::availablePermits)).as("permits inside").isZero();
		assertThat(this.paymentApi.availablePermits()).isOne();
		assertThat(this.charged.isSet()).as("@SetEvent on success").isTrue();
	}

	@Test
	void stageCallWaitsWithoutAThreadForAPermitHeldElsewhere() {
		PaymentClient target = new PaymentClient();
		PaymentClient client = proxy(target, new LockstepInterceptor(this.registry));
		assertThat(this.paymentApi.tryAcquire()).isTrue();

		CompletableFuture<String> call = client.chargeLater("order-1");

		assertThat(call).isNotDone();
		assertThat(target.started).isEmpty();
		this.paymentApi.release();
		assertThat(call).succeedsWithin(DEADLINE).isEqualTo("charged order-1");
		assertThat(target.started).containsExactly("order-1");
		assertThat(this.paymentApi.availablePermits()).isOne();
	}

	@Test
	void aProbeThatThrowsChangesNoCallsOutcomeAndLosesNoPermit() {
		ThrowingProbe probe = new ThrowingProbe();
		((Instrumented) this.paymentApi).probe(probe);
		PaymentClient target = new PaymentClient();
		PaymentClient client = proxy(target, new LockstepInterceptor(this.registry));

		assertThat(client.charge(this.paymentApi::availablePermits)).as("sync call, permits inside").isZero();
		assertThat(this.paymentApi.availablePermits()).isOne();
		assertThat(this.charged.isSet()).isTrue();

		assertThat(client.chargeLater("order-1")).as("stage call admitted at once")
			.succeedsWithin(DEADLINE)
			.isEqualTo("charged order-1");
		assertThat(this.paymentApi.availablePermits()).isOne();

		assertThat(this.paymentApi.tryAcquire()).isTrue();
		CompletableFuture<String> waited = client.chargeLater("order-2");
		assertThat(waited).isNotDone();
		this.paymentApi.release();
		assertThat(waited).as("stage call that waited").succeedsWithin(DEADLINE).isEqualTo("charged order-2");
		assertThat(this.paymentApi.availablePermits()).isOne();
		assertThat(target.started).containsExactly("order-1", "order-2");
		assertThat(probe.holdsStarted).as("every hold was reported, and threw").hasValue(3);
		assertThat(probe.holdsEnded).hasValue(3);
	}

	@Test
	void guardedCallWithAZeroTimeoutFailsAtOnceWhileTheLockIsHeld() {
		PaymentClient client = proxy(new PaymentClient(), new LockstepInterceptor(this.registry));
		assertThat(this.inventory.tryAcquire()).isTrue();
		try {
			assertThatExceptionOfType(AcquireTimeoutException.class).isThrownBy(() -> client.reserve(() -> 1))
				.withMessage("Lock 'inventory': wait timed out after 0ms");
		}
		finally {
			this.inventory.release();
		}
		assertThat(client.reserve(() -> this.inventory.isLocked() ? 1 : 0)).isOne();
		assertThat(this.inventory.isLocked()).isFalse();
	}

	@Test
	void advisorMatchesOnlyTheAnnotatedMethods() throws NoSuchMethodException {
		LockstepAdvisor advisor = new LockstepAdvisor(new LockstepInterceptor(this.registry));
		MethodMatcher matcher = advisor.getPointcut().getMethodMatcher();

		assertThat(matcher.matches(PaymentClient.class.getMethod("charge", IntSupplier.class), PaymentClient.class))
			.isTrue();
		assertThat(matcher.matches(PaymentClient.class.getMethod("plain"), PaymentClient.class)).isFalse();
		assertThat(advisor.getOrder()).isEqualTo(LockstepAdvisor.DEFAULT_ORDER);
		assertThat(new LockstepAdvisor(new LockstepInterceptor(this.registry), 42).getOrder()).isEqualTo(42);
	}

	@Test
	void interfaceProxyFindsTheAnnotationOnTheImplementation() {
		ProxyFactory proxyFactory = new ProxyFactory(new Checkout());
		proxyFactory.addInterface(Payments.class);
		proxyFactory.addAdvisor(new LockstepAdvisor(new LockstepInterceptor(this.registry)));
		Payments payments = (Payments) proxyFactory.getProxy();

		assertThat(AopUtils.isJdkDynamicProxy(payments)).isTrue();
		assertThat(payments.pay(this.paymentApi::availablePermits)).isZero();
		assertThat(this.paymentApi.availablePermits()).isOne();
	}

	@Test
	void nameTheRegistryLacksFailsTheFirstCallAndTakesNothing() {
		Unregistered unregistered = proxy(new Unregistered(), new LockstepInterceptor(this.registry));

		assertThatExceptionOfType(LockstepConfigurationException.class).isThrownBy(unregistered::send)
			.extracting(LockstepConfigurationException::description)
			.isEqualTo("@Throttled on Unregistered.send() uses the semaphore 'mail', but the LockstepRegistry has no"
					+ " primitive of that name.");
		assertThat(this.registry.all()).extracting(AsyncPrimitive::name)
			.containsExactly("charged", "inventory", "payment-api");
	}

	@Test
	void nameOfAnotherKindFailsTheFirstCall() {
		this.registry.register(AsyncLock.create("mail"));
		Unregistered unregistered = proxy(new Unregistered(), new LockstepInterceptor(this.registry));

		assertThatExceptionOfType(LockstepConfigurationException.class).isThrownBy(unregistered::send)
			.extracting(LockstepConfigurationException::description)
			.isEqualTo("'mail' is a lock, but @Throttled on Unregistered.send() uses it as a semaphore.");
	}

	@Test
	void sourceIsAskedOnceForEachUseAndItsTimeoutApplies() {
		List<PrimitiveUse> asked = new CopyOnWriteArrayList<>();
		PrimitiveSource source = new PrimitiveSource() {
			@Override
			public AsyncPrimitive primitive(PrimitiveUse use) {
				asked.add(use);
				return PrimitiveSource.of(LockstepInterceptorTests.this.registry).primitive(use);
			}

			@Override
			public Duration timeout(String name) {
				return Duration.ZERO;
			}
		};
		PaymentClient client = proxy(new PaymentClient(), new LockstepInterceptor(source));

		client.charge(() -> 0);
		client.charge(() -> 0);
		assertThat(this.paymentApi.tryAcquire()).isTrue();
		try {
			assertThatExceptionOfType(AcquireTimeoutException.class).isThrownBy(() -> client.charge(() -> 0));
		}
		finally {
			this.paymentApi.release();
		}

		assertThat(asked).extracting(PrimitiveUse::where)
			.containsExactly("@Throttled on PaymentClient.charge(IntSupplier)",
					"@SetEvent on PaymentClient.charge(IntSupplier)");
	}

	private static <T> T proxy(T target, LockstepInterceptor interceptor) {
		return proxy(target, new LockstepAdvisor(interceptor));
	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(T target, LockstepAdvisor advisor) {
		ProxyFactory proxyFactory = new ProxyFactory(target);
		proxyFactory.setProxyTargetClass(true);
		proxyFactory.addAdvisor(advisor);
		return (T) proxyFactory.getProxy();
	}

	static class PaymentClient {

		final List<String> started = new CopyOnWriteArrayList<>();

		@Throttled("payment-api")
		@SetEvent("charged")
		public int charge(IntSupplier inside) {
			return inside.getAsInt();
		}

		@Throttled("payment-api")
		public CompletableFuture<String> chargeLater(String order) {
			this.started.add(order);
			return CompletableFuture.completedFuture("charged " + order);
		}

		@Guarded(value = "inventory", timeout = "0")
		public int reserve(IntSupplier inside) {
			return inside.getAsInt();
		}

		public String plain() {
			return "plain";
		}

	}

	/** Throws from every report of a hold, after counting it. */
	static class ThrowingProbe implements PrimitiveProbe {

		final AtomicInteger holdsStarted = new AtomicInteger();

		final AtomicInteger holdsEnded = new AtomicInteger();

		@Override
		public long holdStarted() {
			this.holdsStarted.incrementAndGet();
			throw new IllegalStateException("probe failure");
		}

		@Override
		public void holdEnded(long started) {
			this.holdsEnded.incrementAndGet();
			throw new IllegalStateException("probe failure");
		}

	}

	interface Payments {

		int pay(IntSupplier inside);

	}

	static class Checkout implements Payments {

		@Override
		@Throttled("payment-api")
		public int pay(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

	static class Unregistered {

		@Throttled("mail")
		public void send() {
		}

	}

}
