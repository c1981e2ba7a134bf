package io.github.lockstep.sample.web;

import io.github.lockstep.AcquireTimeoutException;
import io.github.lockstep.BarrierBrokenException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the ways a wait ends without getting in into HTTP answers that say what happened:
 * a timed-out wait is 503 (try again later), a broken barrier 409, and a bad argument 400.
 */
@RestControllerAdvice
class LockstepProblems {

	@ExceptionHandler
	ProblemDetail timedOut(AcquireTimeoutException ex) {
		return problem(HttpStatus.SERVICE_UNAVAILABLE, "Timed out waiting", ex);
	}

	@ExceptionHandler
	ProblemDetail broken(BarrierBrokenException ex) {
		return problem(HttpStatus.CONFLICT, "Barrier broken", ex);
	}

	@ExceptionHandler
	ProblemDetail badArgument(IllegalArgumentException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Bad argument", ex);
	}

	private static ProblemDetail problem(HttpStatus status, String title, Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setTitle(title);
		return problem;
	}

}
