package io.github.lockstep.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets the named {@link io.github.lockstep.AsyncEvent} when a call of the method succeeds: when it
 * returns, or, for a {@code CompletionStage}, {@code Mono} or {@code Flux} method, when the returned
 * stage or publisher completes normally. A failed or cancelled call leaves the event as it is.
 * <pre>{@code
 * @SetEvent("cache-warm")
 * public CompletableFuture<Void> warmUp() { … }
 * }</pre>
 * @see AwaitEvent
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SetEvent {

	/**
	 * The event's name.
	 * @return the event's name
	 */
	String value();

}
