package io.github.lockstep.sample.web;

import java.time.Duration;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Reads request parameters such as {@code ?timeout=2s} or {@code ?latency=50ms} the way Spring Boot
 * reads durations in {@code application.yml} (ISO-8601 such as {@code PT2S} works too).
 */
@Configuration(proxyBeanMethods = false)
class DurationParameters implements WebMvcConfigurer {

	@Override
	public void addFormatters(FormatterRegistry registry) {
		registry.addConverter(String.class, Duration.class, DurationStyle::detectAndParse);
	}

}
