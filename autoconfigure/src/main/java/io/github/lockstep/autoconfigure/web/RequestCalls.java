package io.github.lockstep.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.context.ThreadLocalAccessor;

/**
 * The asynchronous annotated calls that one web request started and that are still pending, so
 * that they can be withdrawn, or cancelled, when the request ends without its answer.
 *
 * <pre>{@code
 * RequestCalls calls = new RequestCalls();
 * RequestCalls previous = RequestCalls.enter(calls);   // the request's thread, while it handles it
 * try { chain.doFilter(request, response); } finally { RequestCalls.leave(previous); }
 * // later, once: calls.end(true) if the request timed out or lost its client, else calls.end(false)
 * }</pre>
 *
 * <p>The rule: a call belongs to the request whose handling started it, on the request's thread
 * or in a Lockstep call resumed for it (the owner travels with the caller's context, see
 * {@link #ACCESSOR}). A request that is answered, with a result or with an error that the
 * application produced, cancels nothing: a job it started keeps running after the answer. A
 * request that ends before its answer is there (the async request timed out, the container
 * reported an error, the client went away) cancels the calls it started that have not ended: a
 * waiting call is withdrawn and never runs, and a running one has the cancel forwarded to its
 * method's stage, as for any cancel of the returned future. Work that must outlive such a request
 * is started off its thread (an executor, an {@code @Async} method's body).
 */
public final class RequestCalls {

	/** The accessor that carries a call's owner into the call's resumption. */
	public static final ThreadLocalAccessor<RequestCalls> ACCESSOR = new Accessor();

	/** No owner: the value captured where no request is handled. */
	private static final RequestCalls NONE = new RequestCalls();

	private static final ThreadLocal<RequestCalls> current = new ThreadLocal<>();

	private static final int FIRST_CAPACITY = 8;

	/** Guarded by {@code this}; null once ended. */
	private List<CompletableFuture<?>> pending = new ArrayList<>();

	/** Whether the end cancelled; guarded by {@code this}. */
	private boolean cancelled;

	/** The size at which {@link #bind} next drops the calls that have ended. */
	private int sweepAt = FIRST_CAPACITY;

	/**
	 * Makes {@code calls} the owner of the calls started on this thread.
	 * @param calls the new owner
	 * @return the owner before, for {@link #leave}
	 */
	public static RequestCalls enter(RequestCalls calls) {
		RequestCalls previous = current.get();
		current.set(calls);
		return previous;
	}

	/**
	 * Puts back the owner that {@link #enter} replaced.
	 * @param previous what {@code enter} returned
	 */
	public static void leave(RequestCalls previous) {
		if (previous == null) {
			current.remove();
		}
		else {
			current.set(previous);
		}
	}

	/**
	 * Binds a call just started on this thread to the request being handled here, if any.
	 * @param <T> the call's result type
	 * @param call the call's future
	 * @return {@code call}
	 */
	public static <T> CompletableFuture<T> bindToCurrent(CompletableFuture<T> call) {
		RequestCalls owner = current.get();
		if (owner != null && owner != NONE && !call.isDone()) {
			owner.bind(call);
		}
		return call;
	}

	/**
	 * Binds a pending call; after a cancelling end it is cancelled at once, after another end
	 * ignored.
	 * @param call the call's future
	 */
	public void bind(CompletableFuture<?> call) {
		boolean cancel;
		synchronized (this) {
			cancel = this.cancelled;
			if (this.pending != null) {
				if (this.pending.size() >= this.sweepAt) {
					this.pending.removeIf(CompletableFuture::isDone);
					this.sweepAt = Math.max(FIRST_CAPACITY, this.pending.size() * 2);
				}
				this.pending.add(call);
			}
		}
		if (cancel) {
			call.cancel(false);
		}
	}

	/**
	 * Ends the request's ownership, once; later calls do nothing.
	 * @param cancel whether the request ended without its answer: every call it started that has
	 * not ended, and any bound from now on, is cancelled
	 */
	public void end(boolean cancel) {
		List<CompletableFuture<?>> calls;
		synchronized (this) {
			if (this.pending == null) {
				return;
			}
			calls = this.pending;
			this.pending = null;
			this.cancelled = cancel;
		}
		if (cancel) {
			// outside the lock: a cancel runs the call's give-back, which admits others
			calls.forEach((call) -> call.cancel(false));
		}
	}

	/**
	 * Carries the owner as context-propagation carries MDC: captured when a call starts to wait,
	 * restored around its resumption, so that the calls its method starts belong to the same
	 * request, whichever request's thread resumes it. {@link #NONE} stands for no owner, so that
	 * a call started outside any request resumes outside any request too.
	 */
	private static final class Accessor implements ThreadLocalAccessor<RequestCalls> {

		@Override
		public Object key() {
			return RequestCalls.class.getName();
		}

		@Override
		public RequestCalls getValue() {
			RequestCalls owner = current.get();
			return (owner != null) ? owner : NONE;
		}

		@Override
		public void setValue(RequestCalls value) {
			leave((value != NONE) ? value : null);
		}

		@Override
		public void setValue() {
			current.remove();
		}

	}

}
