package io.github.lockstep.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method runs holding the named {@link io.github.lockstep.AsyncLock}: calls run one at a time,
 * in arrival order.
 * <pre>{@code
 * @Guarded("inventory")
 * public void reserve(String sku, int quantity) { … }
 * }</pre>
 *
 * <p>For a {@code CompletionStage}, {@code Mono} or {@code Flux} method the lock is held until the
 * returned stage or publisher ends, and a waiting call holds no thread. A call that cannot get the
 * lock in time fails with {@link io.github.lockstep.AcquireTimeoutException}.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Guarded {

	/**
	 * The lock's name; empty means {@code ClassName.method} on a method, and one lock for the
	 * whole class ({@code ClassName}) on a class.
	 * @return the lock's name
	 */
	String value() default "";

	/**
	 * How long a call may wait for the lock: a duration such as {@code "2s"}; {@code "0"} fails at
	 * once; empty means the lock's configured timeout, else {@code lockstep.default-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
