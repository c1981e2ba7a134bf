package io.github.lockstep.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * Keeps the entries written {@code ledger: {}} under a {@code lockstep.<kind>} section of the YAML
 * files that Spring Boot loaded, which Boot's YAML loading drops without a trace (an empty map
 * flattens to no property at all).
 *
 * <p>For each YAML document that Boot loaded, it reads the same document again and adds, just
 * after the document's property source, one empty value per such entry, which
 * {@link EmptyEntries} binds as the primitive with its defaults. Nothing else of the file is
 * changed. A document that has nothing but such entries leaves no origin to find its file by, so
 * it stays unread: the failure analysis then suggests {@code ledger:} instead.
 */
final class EmptyYamlEntries implements EnvironmentPostProcessor, Ordered {

	private static final boolean YAML_PRESENT = ClassUtils.isPresent("org.yaml.snakeyaml.Yaml",
			EmptyYamlEntries.class.getClassLoader());

	private static final Pattern DOCUMENT = Pattern.compile(" \\(document #(\\d+)\\)$");

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!YAML_PRESENT) {
			return;
		}
		for (PropertySource<?> source : environment.getPropertySources().stream().toList()) {
			Resource resource = (source instanceof OriginTrackedMapPropertySource tracked) ? yamlResource(tracked) : null;
			if (resource != null) {
				Map<String, Object> entries = emptyEntries(resource, documentIndex(source.getName()));
				if (!entries.isEmpty()) {
					environment.getPropertySources()
						.addAfter(source.getName(), new MapPropertySource(source.getName() + " (empty Lockstep entries)", entries));
				}
			}
		}
	}

	private static Resource yamlResource(OriginTrackedMapPropertySource source) {
		for (String key : source.getPropertyNames()) {
			Origin origin = source.getOrigin(key);
			if (origin instanceof TextResourceOrigin text && text.getResource() != null) {
				String file = text.getResource().getFilename();
				return (file != null && (file.endsWith(".yml") || file.endsWith(".yaml"))) ? text.getResource() : null;
			}
		}
		return null;
	}

	/** Boot names the property sources of a file with several documents {@code … (document #1)}. */
	private static int documentIndex(String name) {
		Matcher matcher = DOCUMENT.matcher(name);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	/** The entries written {@code {}} in one document, counted as Boot counts them (empty documents skipped). */
	static Map<String, Object> emptyEntries(Resource resource, int document) {
		Map<String, Object> entries = new LinkedHashMap<>();
		try (InputStream input = resource.getInputStream()) {
			int index = 0;
			for (Object loaded : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(input)) {
				if (loaded != null && index++ == document) {
					collect(loaded, null, entries);
					break;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Boot loaded this file; what this second reading cannot parse is left as Boot loaded it
			return Map.of();
		}
		return entries;
	}

	/** Flattens keys as Spring's YAML processing does, noting each empty map of a primitive's entry. */
	private static void collect(Object value, String path, Map<String, Object> entries) {
		if (!(value instanceof Map<?, ?> map)) {
			return;
		}
		if (map.isEmpty()) {
			if (path != null && EmptyEntries.isEntry(ConfigurationPropertyName.adapt(path, '.'))) {
				entries.put(path, "");
			}
			return;
		}
		map.forEach((key, child) -> {
			String name = String.valueOf(key);
			collect(child, (path == null) ? name : name.startsWith("[") ? path + name : path + "." + name, entries);
		});
	}

}
