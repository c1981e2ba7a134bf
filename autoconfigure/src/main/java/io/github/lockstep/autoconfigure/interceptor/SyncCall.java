package io.github.lockstep.autoconfigure.interceptor;

import org.aopalliance.intercept.MethodInvocation;

/**
 * A call of a method that returns a plain value (or nothing): the caller's thread waits for each
 * step, interruptibly, runs the method, and gives back what the call holds when it returns or
 * throws. An event of {@code @SetEvent} is set only when it returns. Its {@link Admission} is on
 * the caller's stack (see there).
 */
final class SyncCall {

	private SyncCall() {
	}

	static Object invoke(MethodPlan plan, MethodInvocation invocation) throws Throwable {
		Admission.enterAll(plan);
		long hold = 0;
		try {
			hold = Admission.holdStarted(plan);
			Object result = invocation.proceed();
			plan.succeeded();
			return result;
		}
		finally {
			Admission.exitAll(plan, hold);
		}
	}

}
