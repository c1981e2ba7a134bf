package io.github.lockstep.autoconfigure.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.IntSupplier;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.AsyncPrimitive;
import io.github.lockstep.AsyncSemaphore;
import io.github.lockstep.annotation.Throttled;
import io.github.lockstep.spring.LockstepRegistry;
import io.github.lockstep.autoconfigure.LockstepAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Where the annotations may be put: on a class, on a method, as meta-annotations, on overloads and
 * on interface methods, and which primitive each placement names.
 */
class AnnotationPlacementTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, LockstepAutoConfiguration.class));

	@Test
	void unnamedClassAnnotationSharesOneSemaphoreNamedAfterTheClassAmongAllPublicMethods() {
		this.contextRunner.withBean(SimpleClass.class).run((context) -> {
			SimpleClass bean = context.getBean(SimpleClass.class);
			AsyncSemaphore semaphore = semaphore(context.getBean(LockstepRegistry.class), "SimpleClass");
			assertThat(semaphore.availablePermits()).isOne();
			assertThat(bean.first(semaphore::availablePermits)).isZero();
			assertThat(bean.second(semaphore::availablePermits)).isZero();
			// the second method waits for the permit the first one holds: one semaphore for both
			assertThatExceptionOfType(AcquireTimeoutException.class)
				.isThrownBy(() -> bean.first(() -> bean.second(() -> 0)))
				.withMessage("Semaphore 'SimpleClass': wait timed out after 0ms");
			assertThat(semaphore.availablePermits()).isOne();
			assertThat(context.getBean(LockstepRegistry.class).all()).extracting(AsyncPrimitive::name)
				.containsExactly("SimpleClass", "own");
		});
	}

	@Test
	void methodAnnotationWinsOverTheClassAnnotation() {
		this.contextRunner.withBean(SimpleClass.class).run((context) -> {
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			AsyncSemaphore own = semaphore(registry, "own");
			AsyncSemaphore shared = semaphore(registry, "SimpleClass");
			assertThat(context.getBean(SimpleClass.class).own(() -> own.availablePermits() * 10 + shared.availablePermits()))
				.isEqualTo(21);
		});
	}

	@Test
	void classAnnotationLeavesStaticMethodsAlone() {
		this.contextRunner.withBean(SimpleClass.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(SimpleClass.helper()).isEqualTo("static");
		});
	}

	@Test
	void metaAnnotationActsAsTheAnnotationItCarries() {
		this.contextRunner.withBean(Payments.class).run((context) -> {
			AsyncSemaphore semaphore = semaphore(context.getBean(LockstepRegistry.class), "Payments.charge");
			assertThat(semaphore.availablePermits()).isEqualTo(2);
			assertThat(context.getBean(Payments.class).charge(semaphore::availablePermits)).isOne();
		});
	}

	@Test
	void overloadedMethodsGetTheirParameterTypesInTheirDefaultNames() {
		this.contextRunner.withBean(Overloaded.class).run((context) -> {
			LockstepRegistry registry = context.getBean(LockstepRegistry.class);
			assertThat(registry.all()).extracting(AsyncPrimitive::name)
				.containsExactly("Overloaded.send(String)", "Overloaded.send(int,String)");
			AsyncSemaphore two = semaphore(registry, "Overloaded.send(int,String)");
			AsyncSemaphore one = semaphore(registry, "Overloaded.send(String)");
			Overloaded bean = context.getBean(Overloaded.class);
			bean.inside(() -> two.availablePermits() * 10 + one.availablePermits());
			assertThat(bean.send(7, "x")).isEqualTo(3);
			assertThat(bean.send("x")).isEqualTo(12);
		});
	}

	@Test
	void overloadedDefaultNameCanBeConfiguredInBrackets() {
		this.contextRunner.withPropertyValues("lockstep.semaphores.[Overloaded.send(int,String)].permits=4")
			.withBean(Overloaded.class)
			.run((context) -> {
				AsyncSemaphore two = semaphore(context.getBean(LockstepRegistry.class), "Overloaded.send(int,String)");
				assertThat(two).isSameAs(context.getBean("lockstep.semaphore.Overloaded.send(int,String)"));
				Overloaded bean = context.getBean(Overloaded.class);
				bean.inside(two::availablePermits);
				assertThat(bean.send(7, "x")).isEqualTo(3);
			});
	}

	@Test
	void annotationOnAnInterfaceMethodAppliesToTheImplementingBean() {
		this.contextRunner.withBean(Notifier.class, EmailNotifier::new).run((context) -> {
			AsyncSemaphore semaphore = semaphore(context.getBean(LockstepRegistry.class), "Notifier.deliver");
			Notifier notifier = context.getBean(Notifier.class);
			assertThat(notifier.deliver(semaphore::availablePermits)).isZero();
			assertThatExceptionOfType(AcquireTimeoutException.class)
				.isThrownBy(() -> notifier.deliver(() -> notifier.deliver(() -> 0)));
			assertThat(semaphore.availablePermits()).isOne();
		});
	}

	@Test
	void annotationOnAnInterfaceMethodAppliesThroughAJdkProxy() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Notifier.class, EmailNotifier::new)
			.run((context) -> {
				AsyncSemaphore semaphore = semaphore(context.getBean(LockstepRegistry.class), "Notifier.deliver");
				Notifier notifier = context.getBean(Notifier.class);
				assertThat(java.lang.reflect.Proxy.isProxyClass(notifier.getClass())).isTrue();
				assertThat(notifier.deliver(semaphore::availablePermits)).isZero();
			});
	}

	private static AsyncSemaphore semaphore(LockstepRegistry registry, String name) {
		return registry.semaphore(name).orElseThrow(() -> new AssertionError("no semaphore '" + name + "' in " + registry.all()));
	}

	@Throttled(permits = 1, timeout = "0")
	static class SimpleClass {

		public int first(IntSupplier inside) {
			return inside.getAsInt();
		}

		public int second(IntSupplier inside) {
			return inside.getAsInt();
		}

		@Throttled(value = "own", permits = 3)
		public int own(IntSupplier inside) {
			return inside.getAsInt();
		}

		public static String helper() {
			return "static";
		}

	}

	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Throttled(permits = 2)
	@interface PaymentLimit {

	}

	static class Payments {

		@PaymentLimit
		public int charge(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

	static class Overloaded {

		private IntSupplier inside = () -> -1;

		public void inside(IntSupplier inside) {
			this.inside = inside;
		}

		@Throttled(permits = 1)
		public int send(int count, String text) {
			return this.inside.getAsInt();
		}

		@Throttled(permits = 3)
		public int send(String text) {
			return this.inside.getAsInt();
		}

	}

	interface Notifier {

		@Throttled(permits = 1, timeout = "0")
		int deliver(IntSupplier inside);

	}

	static class EmailNotifier implements Notifier {

		@Override
		public int deliver(IntSupplier inside) {
			return inside.getAsInt();
		}

	}

}
