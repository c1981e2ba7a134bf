/**
 * Ends a web request's pending Lockstep calls with the request: {@link RequestCalls}, the calls
 * one request owns, bound by a servlet filter (Spring MVC) or a {@code WebFilter} (WebFlux), each
 * set up by its auto-configuration ({@link LockstepWebMvcAutoConfiguration},
 * {@link LockstepWebFluxAutoConfiguration}) and turned off with
 * {@code lockstep.web.cancel-on-request-end=false} ({@link LockstepWebProperties}).
 */
package io.github.lockstep.autoconfigure.web;
