package io.github.lockstep.sample.tickets;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.lockstep.sample.web.RequestLimits;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /tickets/take?timeout=2s} takes one of 3 tickets; {@code POST /tickets/return} gives
 * one back, and answers 409 Conflict when all 3 are already back.
 */
@RestController
@RequestMapping("/tickets")
class TicketController {

	private final TicketOffice office;

	TicketController(TicketOffice office) {
		this.office = office;
	}

	@PostMapping("/take")
	CompletableFuture<Map<String, Integer>> take(@RequestParam(defaultValue = "2s") Duration timeout) {
		return this.office.take(RequestLimits.atMost("timeout", timeout, RequestLimits.WAIT)).thenApply(TicketController::available);
	}

	@PostMapping("/return")
	Map<String, Integer> giveBack() {
		return available(this.office.giveBack());
	}

	@GetMapping
	Map<String, Integer> state() {
		return available(this.office.available());
	}

	@ExceptionHandler
	ProblemDetail overRelease(IllegalStateException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				ex.getMessage() + ": every ticket is already back, so there is none to return");
		problem.setTitle("Ticket not taken");
		return problem;
	}

	private static Map<String, Integer> available(int available) {
		return Map.of("available", available);
	}

}
