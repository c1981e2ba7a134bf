/**
 * Annotations that put a service method behind a Lockstep primitive: {@link Guarded},
 * {@link Throttled}, {@link AwaitEvent}, {@link AwaitBarrier} and {@link SetEvent}.
 *
 * <p>They carry no behaviour of their own: the Spring Boot starter
 * ({@code lockstep-spring-boot-starter}) intercepts the annotated methods of Spring beans. Several
 * on one method apply in this order, outermost first: {@code @AwaitEvent}, {@code @AwaitBarrier},
 * {@code @Throttled}, {@code @Guarded}, then {@code @SetEvent} once the call has succeeded.
 *
 * <p>Each works on a method, or on a class, where it covers every public method and an unnamed
 * annotation means one primitive that all of them share; a method's own annotation wins over its
 * class's. They also work as meta-annotations. A {@code timeout} is a duration string
 * ({@code "500ms"}, {@code "2s"}, {@code ${…}} placeholders allowed); {@code "0"} fails at once
 * when the primitive is not free, and empty means the primitive's configured timeout, else
 * {@code lockstep.default-timeout}, else no limit.
 */
package io.github.lockstep.annotation;
