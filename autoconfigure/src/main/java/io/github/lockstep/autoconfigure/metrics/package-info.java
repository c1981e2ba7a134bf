/**
 * The {@code lockstep.*} Micrometer meters: {@link LockstepMetrics}, a {@code MeterBinder} over a
 * {@code LockstepRegistry}, usable without Spring Boot, and
 * {@link LockstepMetricsAutoConfiguration}, which binds it to the application's
 * {@code MeterRegistry}. {@link ContendedCount} lets code without Micrometer read the meters'
 * count of contended waits.
 */
package io.github.lockstep.autoconfigure.metrics;
