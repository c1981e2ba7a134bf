package io.github.lockstep.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls of the method start only once the named {@link io.github.lockstep.AsyncEvent} is set;
 * until then they wait, holding no thread when the method is asynchronous.
 * <pre>{@code
 * @AwaitEvent("cache-warm")
 * public Price price(String sku) { … }
 * }</pre>
 * @see SetEvent
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AwaitEvent {

	/**
	 * The event's name.
	 * @return the event's name
	 */
	String value();

	/**
	 * How long a call may wait for the event: a duration such as {@code "2s"}; {@code "0"} fails at
	 * once; empty means the event's configured timeout, else {@code lockstep.default-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
