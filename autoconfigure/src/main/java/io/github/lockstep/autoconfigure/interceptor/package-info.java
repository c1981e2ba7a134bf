/**
 * The call path behind Lockstep's annotations: {@link LockstepInterceptor} and its
 * {@link LockstepAdvisor}, which work on any Spring AOP proxy, also without a Spring context, over
 * the primitives of a {@link PrimitiveSource}. {@link LockstepInterceptorConfiguration} is what
 * the auto-configuration imports: the interceptor, the advisor and the startup check of the
 * annotated beans.
 */
package io.github.lockstep.autoconfigure.interceptor;
