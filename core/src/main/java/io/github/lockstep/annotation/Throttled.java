package io.github.lockstep.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * At most {@code permits} calls of the method are in flight at once; the others wait their turn,
 * in arrival order, on the named {@link io.github.lockstep.AsyncSemaphore}.
 * <pre>{@code
 * @Throttled(permits = 5)
 * public CompletableFuture<Receipt> charge(Payment payment) { … }
 * }</pre>
 *
 * <p>For a {@code CompletionStage}, {@code Mono} or {@code Flux} method the permit is held until the
 * returned stage or publisher ends, and a waiting call holds no thread. A call that cannot get a
 * permit in time fails with {@link io.github.lockstep.AcquireTimeoutException}.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Throttled {

	/**
	 * The semaphore's name; empty means {@code ClassName.method} on a method, and one semaphore
	 * for the whole class ({@code ClassName}) on a class.
	 * @return the semaphore's name
	 */
	String value() default "";

	/**
	 * How many calls may be in flight at once; 0 means the value of
	 * {@code lockstep.semaphores.<name>.permits}, and startup fails if neither sets it. The
	 * configuration wins when both do.
	 * @return the number of permits
	 */
	int permits() default 0;

	/**
	 * How long a call may wait for a permit: a duration such as {@code "2s"}; {@code "0"} fails at
	 * once; empty means the semaphore's configured timeout, else {@code lockstep.default-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
