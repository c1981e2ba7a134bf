/**
 * The call path behind Lockstep's annotations: {@link LockstepInterceptor} and its
 * {@link LockstepAdvisor}, which work on any Spring AOP proxy, also without a Spring context, over
 * the primitives of a {@link PrimitiveSource}. {@link LockstepInterceptorConfiguration} is what
 * the auto-configuration imports: the interceptor, the advisor and the startup check of the
 * annotated beans.
 *
 * <p>Inside, a method's plan holds the steps its annotations make a call pass, outermost first,
 * and picks the call of its return shape: {@code SyncCall} (a plain value: the caller's thread
 * waits), {@code StageCall} (a {@code CompletionStage}), {@code AsyncTaskCall} (an
 * {@code @Async} task's future) or {@code ReactiveCall} (a {@code Mono} or {@code Flux}). Each
 * goes through one {@code Admission}, which takes the steps, holds them while the method runs,
 * and gives them back exactly once, reporting the hold to the probe.
 */
package io.github.lockstep.autoconfigure.interceptor;
