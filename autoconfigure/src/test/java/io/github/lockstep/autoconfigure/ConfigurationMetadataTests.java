package io.github.lockstep.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that IDEs read: every {@code lockstep.*} key of the specification
 * with a description, and the settings of each kind of primitive on its map's value type.
 */
class ConfigurationMetadataTests {

	private static final String PROPERTIES = "io.github.lockstep.autoconfigure.LockstepProperties";

	private static final String WEB_PROPERTIES = "io.github.lockstep.autoconfigure.web.LockstepWebProperties";

	@Test
	void everyKeyIsListedWithADescription() throws IOException {
		Map<String, Map<String, Object>> properties = properties(lockstepMetadata());
		assertThat(properties).containsOnlyKeys("lockstep.enabled", "lockstep.default-timeout", "lockstep.strict",
				"lockstep.interceptor-order", "lockstep.async-executor", "lockstep.backend", "lockstep.locks", "lockstep.semaphores",
				"lockstep.events", "lockstep.conditions", "lockstep.barriers", "lockstep.metrics.enabled",
				"lockstep.metrics.histogram", "lockstep.health.down-on-broken-barrier",
				"lockstep.web.cancel-on-request-end", "management.endpoint.lockstep.access", "management.endpoint.lockstep.cache.time-to-live",
				"management.health.lockstep.enabled");
		assertThat(properties.values()).allSatisfy(
				(property) -> assertThat(property.get("description")).asString().isNotBlank().endsWith("."));
		assertThat(properties).allSatisfy((name, property) -> {
			if (name.startsWith("lockstep.web.")) {
				assertThat(property.get("sourceType")).isEqualTo(WEB_PROPERTIES);
			}
			else if (name.startsWith("lockstep.")) {
				assertThat(property.get("sourceType")).asString().startsWith(PROPERTIES);
			}
		});
	}

	@Test
	void actuatorKeysHaveTheirDefaults() throws IOException {
		Map<String, Map<String, Object>> properties = properties(lockstepMetadata());
		assertThat(properties.get("management.endpoint.lockstep.access"))
			.containsEntry("type", "org.springframework.boot.actuate.endpoint.Access")
			.containsEntry("defaultValue", "read_only");
		assertThat(properties.get("management.health.lockstep.enabled")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true);
	}

	@Test
	void scalarKeysHaveTheirTypesAndDefaults() throws IOException {
		Map<String, Map<String, Object>> properties = properties(lockstepMetadata());
		assertThat(properties.get("lockstep.enabled")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true)
			.extractingByKey("description")
			.isEqualTo("Whether Lockstep's primitives and annotations are active.");
		assertThat(properties.get("lockstep.strict")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", false);
		assertThat(properties.get("lockstep.default-timeout")).containsEntry("type", "java.time.Duration")
			.doesNotContainKey("defaultValue");
		assertThat(properties.get("lockstep.interceptor-order")).containsEntry("type", "java.lang.Integer")
			.containsEntry("defaultValue", 2147483547);
		assertThat(properties.get("lockstep.async-executor")).containsEntry("type", "java.lang.String");
		assertThat(properties.get("lockstep.metrics.enabled")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true);
		assertThat(properties.get("lockstep.metrics.histogram")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true);
		assertThat(properties.get("lockstep.web.cancel-on-request-end")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", true);
		assertThat(properties.get("lockstep.health.down-on-broken-barrier")).containsEntry("type", "java.lang.Boolean")
			.containsEntry("defaultValue", false)
			.extractingByKey("description")
			.asString()
			.startsWith("Whether a broken barrier turns");
	}

	@Test
	void asyncExecutorIsHintedAsAnExecutorBean() throws IOException {
		List<Map<String, Object>> providers = lockstepMetadata()
			.read("$.hints[?(@.name == 'lockstep.async-executor')].providers[*]");
		assertThat(providers).singleElement()
			.satisfies((provider) -> assertThat(provider).containsEntry("name", "spring-bean-reference")
				.containsEntry("parameters", Map.of("target", "java.util.concurrent.Executor")));
	}

	@Test
	void mapValueTypesCarryThePrimitiveSettings() throws IOException {
		Map<String, Map<String, Object>> properties = properties(lockstepMetadata());
		assertThat(settings(properties, "lockstep.locks")).containsExactlyInAnyOrder("timeout", "backend");
		assertThat(settings(properties, "lockstep.semaphores")).containsExactlyInAnyOrder("timeout", "backend", "permits", "bounded");
		assertThat(settings(properties, "lockstep.events")).containsExactlyInAnyOrder("timeout", "backend", "initially-set");
		assertThat(settings(properties, "lockstep.conditions")).containsExactlyInAnyOrder("timeout", "backend", "lock");
		assertThat(settings(properties, "lockstep.barriers")).containsExactlyInAnyOrder("timeout", "backend", "parties");
	}

	/** The settings of the map's value type, as their keys: {@code initially-set}. */
	private static Set<String> settings(Map<String, Map<String, Object>> properties, String key) {
		String type = (String) properties.get(key).get("type");
		String prefix = "java.util.Map<java.lang.String," + PROPERTIES + "$";
		assertThat(type).startsWith(prefix).endsWith(">");
		Class<?> valueType = ClassUtils.resolveClassName(type.substring("java.util.Map<java.lang.String,".length(),
				type.length() - 1), ConfigurationMetadataTests.class.getClassLoader());
		return Arrays.stream(BeanUtils.getPropertyDescriptors(valueType))
			.filter((descriptor) -> descriptor.getWriteMethod() != null)
			.map(PropertyDescriptor::getName)
			.map((name) -> name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT))
			.collect(Collectors.toSet());
	}

	private static Map<String, Map<String, Object>> properties(DocumentContext metadata) {
		List<Map<String, Object>> properties = metadata.read("$.properties[*]");
		Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
		properties.forEach((property) -> byName.put((String) property.get("name"), property));
		return byName;
	}

	/** Lockstep's metadata file; other jars on the class path have their own. */
	private static DocumentContext lockstepMetadata() throws IOException {
		Resource[] resources = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:META-INF/spring-configuration-metadata.json");
		for (Resource resource : resources) {
			try (InputStream in = resource.getInputStream()) {
				DocumentContext metadata = JsonPath.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				List<String> groups = metadata.read("$.groups[*].name");
				if (groups.contains("lockstep")) {
					return metadata;
				}
			}
		}
		throw new AssertionError("no configuration metadata with group 'lockstep' among " + Arrays.toString(resources));
	}

}
