package io.github.lockstep.autoconfigure.metrics;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard in {@code dashboards/lockstep.json} (SPEC §6): it queries only the
 * Prometheus names of SPEC §5, has a row for each kind of primitive showing what that kind has,
 * follows its variables, and lays out its panels on Grafana's 24-column grid.
 */
class GrafanaDashboardTests {

	private static final Set<String> SPECIFIED_SERIES = Set.of("lockstep_wait_seconds_count",
			"lockstep_wait_seconds_sum", "lockstep_wait_seconds_max", "lockstep_wait_seconds_bucket",
			"lockstep_held_seconds_count", "lockstep_held_seconds_sum", "lockstep_contended_total",
			"lockstep_waiting", "lockstep_permits_available", "lockstep_locked", "lockstep_event_set",
			"lockstep_barrier_broken");

	private static final Map<String, String> ROWS = DashboardQueries.ROWS;

	private static final Set<String> HELD = Set.of("lockstep_held_seconds_sum", "lockstep_held_seconds_count");

	private static final Pattern KIND_MATCHER = Pattern.compile("\\bkind\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

	// $var, ${var}, ${var:format} and the old [[var]]
	private static final Pattern VARIABLE = Pattern
		.compile("\\$\\{([A-Za-z0-9_]+)(?::[^}]*)?}|\\$([A-Za-z0-9_]+)|\\[\\[([A-Za-z0-9_]+)(?::[^]]*)?]]");

	private final DashboardQueries dashboard = DashboardQueries.load();

	@Test
	void seriesNamesAreTheLockstepMetricNamesOfAnExpression() {
		String expression = "histogram_quantile(0.99, sum by (name, le) (rate(lockstep_wait_seconds_bucket"
				+ "{kind=\"lock\"}[5m]))) / on (name) my_lockstep_total + lockstep_waiting{name=~\"$name\"}";
		assertThat(DashboardQueries.seriesNames(expression))
			.containsExactlyInAnyOrder("lockstep_wait_seconds_bucket", "lockstep_waiting");
	}

	@Test
	void queriesOnlyTheSeriesOfTheSpecification() {
		for (JsonNode panel : this.dashboard.panels()) {
			for (String expression : DashboardQueries.expressions(panel)) {
				assertThat(DashboardQueries.seriesNames(expression)).as("panel '%s': %s", title(panel), expression)
					.isNotEmpty()
					.isSubsetOf(SPECIFIED_SERIES);
			}
		}
		assertThat(this.dashboard.seriesNames()).isSubsetOf(SPECIFIED_SERIES);
	}

	@Test
	void queriesEverySeriesOfTheSpecification() {
		assertThat(this.dashboard.seriesNames()).containsAll(SPECIFIED_SERIES);
	}

	@Test
	void hasARowForEachKindThatQueriesOnlyThatKind() {
		Map<String, List<JsonNode>> rows = rows();
		assertThat(rows).containsKeys(ROWS.values().toArray(String[]::new));
		ROWS.forEach((kind, title) -> {
			List<String> expressions = expressions(rows.get(title));
			assertThat(expressions).as("queries of row '%s'", title).isNotEmpty();
			for (String expression : expressions) {
				assertThat(kindMatchers(expression)).as("row '%s': %s", title, expression)
					.isNotEmpty()
					.containsOnly("=" + kind);
			}
		});
	}

	@Test
	void eachKindsRowShowsWhatThatKindHas() {
		Map<String, List<JsonNode>> rows = rows();
		ROWS.forEach((kind, title) -> {
			List<String> expressions = expressions(rows.get(title));
			Set<String> series = new TreeSet<>();
			expressions.forEach((expression) -> series.addAll(DashboardQueries.seriesNames(expression)));
			assertThat(series).as("series of row '%s'", title)
				.contains("lockstep_wait_seconds_bucket", "lockstep_wait_seconds_sum", "lockstep_wait_seconds_count",
						"lockstep_wait_seconds_max", "lockstep_waiting");
			assertThat(String.join("\n", expressions)).as("queries of row '%s'", title)
				.contains("histogram_quantile(0.5,", "histogram_quantile(0.95,", "histogram_quantile(0.99,")
				.contains("outcome=\"acquired\"", "outcome=\"timeout\"", "outcome=\"cancelled\"");
			boolean held = kind.equals("lock") || kind.equals("condition") || kind.equals("semaphore");
			assertPresence(series, title, held, HELD);
			assertPresence(series, title, held, Set.of("lockstep_locked"));
			assertPresence(series, title, !kind.equals("barrier"), Set.of("lockstep_contended_total"));
			assertPresence(series, title, kind.equals("semaphore"), Set.of("lockstep_permits_available"));
			assertPresence(series, title, kind.equals("event"), Set.of("lockstep_event_set"));
			assertPresence(series, title, kind.equals("barrier"), Set.of("lockstep_barrier_broken"));
			assertThat(expressions.stream().anyMatch((expression) -> expression.contains("outcome=\"broken\"")))
				.as("row '%s' shows broken waits", title)
				.isEqualTo(kind.equals("barrier"));
		});
	}

	@Test
	void panelIdsAreUnique() {
		List<Integer> ids = new ArrayList<>();
		for (JsonNode panel : this.dashboard.panels()) {
			assertThat(panel.path("id").isIntegralNumber()).as("panel '%s' has an id", title(panel)).isTrue();
			ids.add(panel.path("id").intValue());
		}
		assertThat(ids).hasSizeGreaterThan(ROWS.size()).doesNotHaveDuplicates();
	}

	@Test
	void panelsFitTheGridWithoutOverlapping() {
		List<JsonNode> topLevel = new ArrayList<>();
		this.dashboard.dashboard().path("panels").forEach(topLevel::add);
		assertDoNotOverlap(topLevel);
		// a collapsed row keeps its panels inside it, placed as they will be when it opens
		for (JsonNode panel : topLevel) {
			List<JsonNode> nested = new ArrayList<>();
			panel.path("panels").forEach(nested::add);
			assertDoNotOverlap(nested);
		}
	}

	@Test
	void everyVariableAQueryUsesIsDefined() {
		Set<String> defined = new HashSet<>();
		for (JsonNode variable : this.dashboard.dashboard().path("templating").path("list")) {
			String name = variable.path("name").stringValue("");
			assertThat(defined.add(name)).as("variable '%s' defined once", name).isTrue();
		}
		List<String> uses = new ArrayList<>(this.dashboard.expressions());
		uses.addAll(this.dashboard.variableQueries());
		for (JsonNode panel : this.dashboard.panels()) {
			uses.add(panel.path("datasource").path("uid").stringValue(""));
			panel.path("targets").forEach((target) -> {
				uses.add(target.path("datasource").path("uid").stringValue(""));
				uses.add(target.path("legendFormat").stringValue(""));
			});
		}
		Set<String> used = new TreeSet<>();
		uses.forEach((text) -> used.addAll(variables(text)));
		assertThat(used).contains("datasource", "application", "instance", "kind", "name");
		assertThat(defined).containsAll(used);
	}

	@Test
	void everyPanelQueriesTheChosenPrometheus() {
		JsonNode datasource = this.dashboard.dashboard()
			.path("templating")
			.path("list")
			.valueStream()
			.filter((variable) -> variable.path("name").stringValue("").equals("datasource"))
			.findFirst()
			.orElseThrow();
		assertThat(datasource.path("type").stringValue("")).isEqualTo("datasource");
		assertThat(datasource.path("query").stringValue("")).isEqualTo("prometheus");
		assertThat(this.dashboard.dashboard().path("schemaVersion").intValue()).isGreaterThanOrEqualTo(39);
		for (JsonNode panel : queryPanels()) {
			List<JsonNode> sources = new ArrayList<>();
			sources.add(panel.path("datasource"));
			panel.path("targets").forEach((target) -> sources.add(target.path("datasource")));
			for (JsonNode source : sources) {
				assertThat(source.path("type").stringValue("")).as("data source type in panel '%s'", title(panel))
					.isEqualTo("prometheus");
				assertThat(source.path("uid").stringValue("")).as("data source in panel '%s'", title(panel))
					.isEqualTo("${datasource}");
			}
		}
	}

	@Test
	void everyQueryFollowsTheNameApplicationAndInstanceVariables() {
		assertThat(this.dashboard.expressions()).isNotEmpty();
		for (String expression : this.dashboard.expressions()) {
			assertThat(expression).contains("name=~\"$name\"")
				.contains("application=~\"$application\"")
				.contains("instance=~\"$instance\"");
		}
	}

	/**
	 * Locks and semaphores may be on Redis, where every instance reports the cluster-wide value of a
	 * gauge: adding those up over instances would count each waiter once per instance, so their
	 * gauges are combined with {@code max} or {@code min}.
	 */
	@Test
	void gaugesThatMayBeClusterWideAreNotAddedUpOverInstances() {
		Pattern summedGauge = Pattern.compile("\\b(sum|avg|count)\\s*(?:by\\s*\\([^)]*\\)\\s*)?\\(\\s*"
				+ "(lockstep_waiting|lockstep_permits_available|lockstep_locked)\\{([^}]*)}");
		assertThat(summedGauge.matcher("sum by (name) (lockstep_waiting{kind=\"lock\"})").find()).isTrue();
		int gauges = 0;
		for (String expression : this.dashboard.expressions()) {
			Matcher matcher = summedGauge.matcher(expression);
			while (matcher.find()) {
				List<String> kinds = kindMatchers("{" + matcher.group(3) + "}");
				assertThat(kinds).as("%s(%s) across instances in: %s", matcher.group(1), matcher.group(2), expression)
					.doesNotContain("=lock", "=semaphore", "=~$kind");
			}
			if (expression.contains("lockstep_waiting") || expression.contains("lockstep_locked")
					|| expression.contains("lockstep_permits_available")) {
				gauges++;
			}
		}
		assertThat(gauges).isPositive();
	}

	@Test
	void instancesRowBreaksEveryQueryDownByInstance() {
		List<JsonNode> panels = rows().get("Instances");
		assertThat(panels).as("the Instances row").hasSizeGreaterThanOrEqualTo(3);
		Set<String> series = new TreeSet<>();
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				String expression = target.path("expr").stringValue("");
				series.addAll(DashboardQueries.seriesNames(expression));
				assertThat(expression).as("panel '%s'", title(panel)).contains("by (instance");
				assertThat(target.path("legendFormat").stringValue("")).as("legend of panel '%s'", title(panel))
					.startsWith("{{instance}}");
			}
		}
		assertThat(series).contains("lockstep_wait_seconds_count", "lockstep_contended_total", "lockstep_held_seconds_count");
	}

	@Test
	void everyQueryOfAKindsRowIsLegendedByName() {
		Map<String, List<JsonNode>> rows = rows();
		for (String row : ROWS.values()) {
			for (JsonNode panel : rows.get(row)) {
				for (JsonNode target : panel.path("targets")) {
					assertThat(target.path("legendFormat").stringValue(""))
						.as("legend in panel '%s' of row '%s'", title(panel), row)
						.startsWith("{{name}}");
				}
			}
		}
	}

	@Test
	void panelsShowTimesInSecondsAndRatesPerSecond() {
		for (JsonNode panel : queryPanels()) {
			String unit = panel.path("fieldConfig").path("defaults").path("unit").stringValue("");
			String queries = String.join("\n", DashboardQueries.expressions(panel));
			if (queries.contains("_seconds_sum") || queries.contains("_seconds_max")
					|| queries.contains("_seconds_bucket")) {
				assertThat(unit).as("unit of panel '%s'", title(panel)).isEqualTo("s");
			}
			else if (queries.contains("rate(")) {
				assertThat(unit).as("unit of panel '%s'", title(panel)).isEqualTo("ops");
			}
			else {
				assertThat(unit).as("unit of panel '%s'", title(panel)).isIn("short", "none");
			}
		}
	}

	@Test
	void expressionsHaveBalancedBracketsAndQuotes() {
		for (String expression : this.dashboard.expressions()) {
			assertThat(balanced(expression)).as(expression).isTrue();
		}
		assertThat(balanced("sum(rate(lockstep_waiting{name=\"a\"}[5m])")).isFalse();
		assertThat(balanced("lockstep_waiting{name=\"a}")).isFalse();
	}

	private Map<String, List<JsonNode>> rows() {
		return this.dashboard.rows();
	}

	private static String title(JsonNode panel) {
		return panel.path("title").stringValue("");
	}

	private List<JsonNode> queryPanels() {
		return this.dashboard.panels().stream().filter((panel) -> panel.path("targets").size() > 0).toList();
	}

	private static List<String> expressions(List<JsonNode> panels) {
		return panels.stream().flatMap((panel) -> DashboardQueries.expressions(panel).stream()).toList();
	}

	private static List<String> kindMatchers(String expression) {
		List<String> matchers = new ArrayList<>();
		Matcher matcher = KIND_MATCHER.matcher(expression);
		while (matcher.find()) {
			matchers.add(matcher.group(1) + matcher.group(2));
		}
		return matchers;
	}

	private static void assertPresence(Set<String> series, String row, boolean expected, Set<String> names) {
		if (expected) {
			assertThat(series).as("series of row '%s'", row).containsAll(names);
		}
		else {
			assertThat(series).as("series of row '%s'", row).doesNotContainAnyElementsOf(names);
		}
	}

	private static void assertDoNotOverlap(List<JsonNode> panels) {
		List<int[]> boxes = new ArrayList<>();
		for (JsonNode panel : panels) {
			JsonNode grid = panel.path("gridPos");
			int x = grid.path("x").intValue(-1);
			int y = grid.path("y").intValue(-1);
			int w = grid.path("w").intValue(0);
			int h = grid.path("h").intValue(0);
			String where = "gridPos " + grid + " of panel '" + title(panel) + "'";
			assertThat(x).as(where).isNotNegative();
			assertThat(y).as(where).isNotNegative();
			assertThat(w).as(where).isPositive();
			assertThat(h).as(where).isPositive();
			assertThat(x + w).as(where).isLessThanOrEqualTo(24);
			for (int[] other : boxes) {
				boolean apart = x + w <= other[0] || other[0] + other[2] <= x || y + h <= other[1]
						|| other[1] + other[3] <= y;
				assertThat(apart).as("panel '%s' at %s overlaps the one at x=%d y=%d w=%d h=%d", title(panel),
						grid, other[0], other[1], other[2], other[3])
					.isTrue();
			}
			boxes.add(new int[] { x, y, w, h });
		}
	}

	private static Set<String> variables(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = VARIABLE.matcher(text);
		while (matcher.find()) {
			for (int group = 1; group <= 3; group++) {
				String name = matcher.group(group);
				if (name != null && !name.startsWith("__")) {
					names.add(name);
				}
			}
		}
		return names;
	}

	// brackets nest and close in order; quotes close; brackets inside a string do not count
	private static boolean balanced(String expression) {
		Deque<Character> open = new ArrayDeque<>();
		boolean quoted = false;
		for (int i = 0; i < expression.length(); i++) {
			char c = expression.charAt(i);
			if (quoted) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == '(' || c == '[' || c == '{') {
				open.push(c);
			}
			else if (c == ')' || c == ']' || c == '}') {
				char expected = (c == ')') ? '(' : (c == ']') ? '[' : '{';
				if (open.isEmpty() || open.pop() != expected) {
					return false;
				}
			}
		}
		return !quoted && open.isEmpty();
	}

}
