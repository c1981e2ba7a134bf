package io.github.lockstep.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Calls of the method start once {@code parties} of them have arrived at the named
 * {@link io.github.lockstep.AsyncBarrier}; then they all start together and the barrier refills
 * for the next round.
 * <pre>{@code
 * @AwaitBarrier(value = "nightly-batch", parties = 5)
 * public CompletableFuture<Report> runShard(int shard) { … }
 * }</pre>
 *
 * <p>A call that gives up waiting (timeout, cancellation) leaves without breaking the barrier; a
 * call that finds the barrier broken fails with {@link io.github.lockstep.BarrierBrokenException}.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AwaitBarrier {

	/**
	 * The barrier's name.
	 * @return the barrier's name
	 */
	String value();

	/**
	 * How many calls make a round; 0 means the value of
	 * {@code lockstep.barriers.<name>.parties}, and startup fails if neither sets it. The
	 * configuration wins when both do.
	 * @return the number of parties
	 */
	int parties() default 0;

	/**
	 * How long a call may wait for its round: a duration such as {@code "2s"}; {@code "0"} fails at
	 * once unless the call completes the round; empty means the barrier's configured timeout,
	 * else {@code lockstep.default-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

}
