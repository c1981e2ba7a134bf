package io.github.lockstep.sample;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * asyncio's own scenarios for its synchronization primitives, as a Spring Boot web app: each
 * package under this one is a scenario, with a service that uses Lockstep the way an application
 * would and a controller that exposes it over HTTP. {@code load} drives them all at once, and the
 * page at {@code /} shows every primitive's state from the {@code lockstep} Actuator endpoint; in
 * the {@code cluster} profile, of every instance ({@code cluster}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/**
	 * Stands in for the latency of the systems the scenarios would call: a query, a cache load,
	 * a shard's work. Nothing waits on it; it only completes futures when their time is up.
	 */
	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService latency() {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "latency");
			thread.setDaemon(true);
			return thread;
		});
	}

}
