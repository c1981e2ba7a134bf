package io.github.lockstep.autoconfigure.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard in the repository ({@code dashboards/lockstep.json}) and the Prometheus
 * series its queries name, for tests that hold it to the metric names of SPEC §5.
 *
 * <pre>{@code
 * Set<String> series = DashboardQueries.load().seriesNames();   // lockstep_waiting, lockstep_wait_seconds_bucket, …
 * }</pre>
 */
final class DashboardQueries {

	static final String LOCATION = "dashboards/lockstep.json";

	/** The title of the row for each kind of primitive, by the {@code kind} tag's value. */
	static final Map<String, String> ROWS = Map.of("lock", "Locks", "semaphore", "Semaphores", "event", "Events",
			"condition", "Conditions", "barrier", "Barriers");

	/** The labels Prometheus adds to every sample when it scrapes a target: not the application's. */
	static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");

	// a label matcher inside a selector's braces: name, operator, opening quote
	private static final Pattern LABEL_MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!=|!~|=)\\s*\"");

	// by (name, le) and without (…)
	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	// the label of label_values(series, label)
	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:[^,]*,)?\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");

	// a PromQL metric name that starts with lockstep_, not the tail of a longer identifier
	private static final Pattern SERIES = Pattern.compile("(?<![A-Za-z0-9_:])lockstep_[A-Za-z0-9_:]*");

	private final Path file;

	private final JsonNode dashboard;

	private DashboardQueries(Path file, JsonNode dashboard) {
		this.file = file;
		this.dashboard = dashboard;
	}

	/**
	 * Reads the dashboard, looking for {@value #LOCATION} from the working directory up (Maven runs a
	 * module's tests in the module's directory, an IDE may run them in the repository's).
	 */
	static DashboardQueries load() {
		Path file = locate();
		return new DashboardQueries(file, JsonMapper.shared().readTree(file));
	}

	private static Path locate() {
		Path start = Path.of("").toAbsolutePath();
		for (Path directory = start; directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve(LOCATION);
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException("No " + LOCATION + " in " + start + " or any directory above it");
	}

	Path file() {
		return this.file;
	}

	JsonNode dashboard() {
		return this.dashboard;
	}

	/**
	 * Every panel, rows included, with the panels of collapsed rows (which Grafana nests in the row)
	 * after their row.
	 */
	List<JsonNode> panels() {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : this.dashboard.path("panels")) {
			panels.add(panel);
			for (JsonNode nested : panel.path("panels")) {
				panels.add(nested);
			}
		}
		return panels;
	}

	/**
	 * Each row's title and the panels under it: those after it, or nested in it when collapsed.
	 * @throws IllegalStateException if two rows have one title
	 */
	Map<String, List<JsonNode>> rows() {
		Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
		List<JsonNode> current = new ArrayList<>();
		for (JsonNode panel : this.dashboard.path("panels")) {
			if (panel.path("type").stringValue("").equals("row")) {
				String title = panel.path("title").stringValue("");
				current = new ArrayList<>();
				if (rows.put(title, current) != null) {
					throw new IllegalStateException("Row '" + title + "' appears more than once in " + this.file);
				}
				panel.path("panels").forEach(current::add);
			}
			else {
				current.add(panel);
			}
		}
		return rows;
	}

	/** The PromQL of the panels in the row for {@code kind} ({@code lock}, {@code semaphore}, …). */
	List<String> rowExpressions(String kind) {
		List<JsonNode> panels = rows().getOrDefault(ROWS.get(kind), List.of());
		return panels.stream().flatMap((panel) -> expressions(panel).stream()).toList();
	}

	/** The PromQL of one panel's targets, in order. */
	static List<String> expressions(JsonNode panel) {
		List<String> expressions = new ArrayList<>();
		for (JsonNode target : panel.path("targets")) {
			if (target.has("expr")) {
				expressions.add(target.get("expr").asString());
			}
		}
		return expressions;
	}

	/** The PromQL of every panel's targets. */
	List<String> expressions() {
		return panels().stream().flatMap((panel) -> expressions(panel).stream()).toList();
	}

	/** The queries of the template variables (such as {@code label_values(lockstep_waiting, name)}). */
	List<String> variableQueries() {
		List<String> queries = new ArrayList<>();
		for (JsonNode variable : this.dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			if (query.isString()) {
				queries.add(query.asString());
			}
			else if (query.path("query").isString()) {
				queries.add(query.path("query").asString());
			}
		}
		return queries;
	}

	/**
	 * The Prometheus series the dashboard queries: every {@code lockstep_…} name in a panel's
	 * expression or a variable's query. A scrape of {@code /actuator/prometheus} should show them all
	 * ({@code lockstep_wait_seconds_bucket} only with {@code lockstep.metrics.histogram=true}).
	 */
	Set<String> seriesNames() {
		Set<String> names = new TreeSet<>();
		expressions().forEach((expression) -> names.addAll(seriesNames(expression)));
		variableQueries().forEach((query) -> names.addAll(seriesNames(query)));
		return names;
	}

	/**
	 * The label names the dashboard selects, groups or lists by: in selectors' matchers, in
	 * {@code by (…)} and {@code without (…)}, and in variables' {@code label_values(…, label)}.
	 */
	Set<String> labelNames() {
		List<String> queries = new ArrayList<>(expressions());
		queries.addAll(variableQueries());
		Set<String> names = new TreeSet<>();
		for (String query : queries) {
			Matcher matcher = LABEL_MATCHER.matcher(query);
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
			Matcher grouping = GROUPING.matcher(query);
			while (grouping.find()) {
				for (String label : grouping.group(1).split(",")) {
					if (!label.isBlank()) {
						names.add(label.trim());
					}
				}
			}
			Matcher listed = LABEL_VALUES.matcher(query);
			while (listed.find()) {
				names.add(listed.group(1));
			}
		}
		return names;
	}

	/** The {@code lockstep_…} series one PromQL expression names. */
	static Set<String> seriesNames(String expression) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = SERIES.matcher(expression);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

}
