package io.github.lockstep.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import javax.imageio.ImageIO;

import io.github.lockstep.sample.load.LoadGenerator;
import io.github.lockstep.sample.load.LoadStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's page in a real headless Chromium: it shows every primitive with the figures of its
 * kind, the load it starts shows up as waiters and taken permits, and a failed refresh shows an
 * error until the endpoint answers again.
 *
 * <p>The browser is {@link Chromium}: Debian's, found on the {@code PATH}; without it the test
 * fails, unless {@code -Dlockstep.browser.skip=true}.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@DisabledIfSystemProperty(named = "lockstep.browser.skip", matches = "true",
		disabledReason = "skipped with -Dlockstep.browser.skip=true")
class SamplePageBrowserTests {

	private static final Map<String, String> KINDS = Map.of("account", "condition", "batch", "barrier", "cache-warm",
			"event", "counter", "lock", "db-pool", "semaphore", "subprocesses", "semaphore", "tickets", "semaphore");

	private static final Map<String, List<String>> FIELDS = Map.of("semaphore",
			List.of("permits", "available", "locked", "waiting", "contended"), "lock",
			List.of("locked", "waiting", "contended"), "condition", List.of("locked", "waiting", "contended"),
			"event", List.of("set", "waiting", "contended"), "barrier",
			List.of("parties", "broken", "waiting", "contended"));

	/** Every {@code [data-primitive]} at one instant: {name: {kind, fields: {field: text}}}. */
	private static final String READ_PRIMITIVES = """
			const primitives = {};
			for (const element of document.querySelectorAll('[data-primitive]')) {
				const fields = {};
				for (const field of element.querySelectorAll('[data-field]')) {
					fields[field.getAttribute('data-field')] = field.textContent.trim();
				}
				primitives[element.getAttribute('data-primitive')] = { kind: element.getAttribute('data-kind'), fields };
			}
			return primitives;
			""";

	private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

	@LocalServerPort
	private int port;

	@Autowired
	private LoadGenerator load;

	private ChromeDriver driver;

	@BeforeEach
	void openBrowser() {
		this.driver = Chromium.start();
	}

	@AfterEach
	void closeBrowserAndStopLoad() {
		try {
			if (this.driver != null) {
				this.driver.quit();
			}
		}
		finally {
			this.load.stop();
			untilLoadEnded();
		}
	}

	@Test
	void pageShowsEveryPrimitiveAndTheContentionOfTheLoad() throws IOException {
		this.driver.get("http://localhost:" + this.port + "/");
		Map<String, Primitive> idle = waitFor(Duration.ofSeconds(15), "every primitive of the sample, idle",
				(primitives) -> showsEveryPrimitive(primitives) && primitives.get("db-pool").number("available") == 5
						&& primitives.get("db-pool").number("waiting") == 0);
		KINDS.forEach((name, kind) -> assertThat(idle.get(name).fields()).as(name)
			.containsKeys(FIELDS.get(kind).toArray(String[]::new)));
		assertThat(idle.get("db-pool").fields()).containsEntry("permits", "5").containsEntry("locked", "no");
		assertThat(idle.get("subprocesses").fields()).containsEntry("permits", "2");
		assertThat(idle.get("tickets").fields()).containsEntry("permits", "3");
		assertThat(idle.get("batch").fields()).containsEntry("parties", "5").containsEntry("broken", "no");
		assertThat(idle.get("cache-warm").text("set")).isIn("yes", "no");
		assertThat(idle.get("counter").text("locked")).isIn("yes", "no");
		assertThat(idle.get("account").text("locked")).isIn("yes", "no");

		this.driver.findElement(By.id("load-start")).click();
		Map<String, Primitive> underLoad = waitFor(Duration.ofSeconds(10), "a permit taken or a waiter queued",
				(primitives) -> showsEveryPrimitive(primitives) && (primitives.get("db-pool").number("available") < 5
						|| primitives.values().stream().anyMatch((primitive) -> primitive.number("waiting") > 0)));

		Path screenshot = Chromium.buildDirectory().resolve("sample-page-under-load.png");
		Files.write(screenshot, this.driver.getScreenshotAs(OutputType.BYTES));
		byte[] png = Files.readAllBytes(screenshot);
		assertThat(Arrays.copyOf(png, PNG_SIGNATURE.length)).as("PNG signature of %s", screenshot)
			.isEqualTo(PNG_SIGNATURE);
		BufferedImage image = ImageIO.read(screenshot.toFile());
		assertThat(image).as("decoded %s", screenshot).isNotNull();
		assertThat(image.getWidth()).as("width of %s (--window-size=1400,1000)", screenshot).isEqualTo(1400);
		assertThat(image.getHeight()).isGreaterThanOrEqualTo(500);

		// a click on a disabled button does nothing: Stop is enabled once the page knows the load runs
		until(Duration.ofSeconds(5), "Stop enabled", (driver) -> driver.findElement(By.id("load-stop")).isEnabled());
		this.driver.findElement(By.id("load-stop")).click();
		LoadStatus ended = untilLoadEnded();
		assertThat(ended.elapsedMillis()).as("the load's time when Stop ended it").isLessThan(ended.durationMillis());
	}

	@Test
	void pageShowsAnErrorWhileTheEndpointCannotBeReached() {
		this.driver.get("http://localhost:" + this.port + "/");
		waitFor(Duration.ofSeconds(15), "every primitive of the sample", this::showsEveryPrimitive);
		until(Duration.ofSeconds(5), "a refresh time and no error",
				(driver) -> !"never".equals(text("updated")) && !isShown("error"));

		ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
		offline.setOffline(true);
		this.driver.setNetworkConditions(offline);
		until(Duration.ofSeconds(5), "the error shown while offline", (driver) -> isShown("error"));

		this.driver.deleteNetworkConditions();
		until(Duration.ofSeconds(5), "the error hidden once back online", (driver) -> !isShown("error"));
	}

	@Test
	void ticketsCardShowsTheRefusalOfATicketNobodyTook() {
		this.driver.get("http://localhost:" + this.port + "/");
		waitFor(Duration.ofSeconds(15), "every primitive of the sample, all tickets in the office",
				(primitives) -> showsEveryPrimitive(primitives) && primitives.get("tickets").number("available") == 3);
		this.driver.findElement(By.cssSelector("[data-try='tickets']")).click();
		String answer = until(Duration.ofSeconds(5), "the answer to a ticket nobody took", (driver) -> {
			String text = driver.findElement(By.cssSelector("[data-answer='tickets']")).getText().trim();
			return text.isEmpty() ? null : text;
		});
		assertThat(answer).startsWith("409: ");
	}

	@Test
	void eventCardButtonsSetAndClearTheEvent() {
		this.driver.get("http://localhost:" + this.port + "/");
		waitFor(Duration.ofSeconds(15), "every primitive of the sample", this::showsEveryPrimitive);
		for (String action : List.of("set", "clear")) {
			this.driver.findElement(By.cssSelector("[data-primitive='cache-warm'] [data-action='" + action + "']"))
				.click();
			String shown = action.equals("set") ? "yes" : "no";
			waitFor(Duration.ofSeconds(5), "cache-warm " + action + " by its button",
					(primitives) -> shown.equals(primitives.get("cache-warm").text("set")));
		}
		assertThat(isShown("notice")).as("a failure notice").isFalse();
	}

	private boolean showsEveryPrimitive(Map<String, Primitive> primitives) {
		return KINDS.entrySet().stream().allMatch((expected) -> {
			Primitive primitive = primitives.get(expected.getKey());
			return primitive != null && expected.getValue().equals(primitive.kind())
					&& FIELDS.get(primitive.kind()).stream().noneMatch((field) -> primitive.text(field).isEmpty());
		});
	}

	private Map<String, Primitive> waitFor(Duration timeout, String what,
			Function<Map<String, Primitive>, Boolean> shows) {
		return until(timeout, what, (driver) -> {
			Map<String, Primitive> primitives = primitives();
			return shows.apply(primitives) ? primitives : null;
		});
	}

	private <T> T until(Duration timeout, String what, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout).ignoring(StaleElementReferenceException.class)
			.withMessage(() -> "the page to show " + what + "; it shows " + primitives() + ", load status '"
					+ text("load-status") + "', updated '" + text("updated") + "', error shown " + isShown("error"))
			.until(condition);
	}

	private LoadStatus untilLoadEnded() {
		return new FluentWait<>(this.load).withTimeout(Duration.ofSeconds(30))
			.pollingEvery(Duration.ofMillis(50))
			.withMessage(() -> "the load to end: " + this.load.status())
			.until((load) -> {
				LoadStatus status = load.status();
				return status.running() ? null : status;
			});
	}

	private Map<String, Primitive> primitives() {
		Map<String, Primitive> primitives = new TreeMap<>();
		if (((JavascriptExecutor) this.driver).executeScript(READ_PRIMITIVES) instanceof Map<?, ?> byName) {
			byName.forEach((name, primitive) -> {
				if (primitive instanceof Map<?, ?> read && read.get("fields") instanceof Map<?, ?> fields) {
					Map<String, String> texts = new TreeMap<>();
					fields.forEach((field, text) -> texts.put(String.valueOf(field), String.valueOf(text)));
					primitives.put(String.valueOf(name), new Primitive(String.valueOf(read.get("kind")), texts));
				}
			});
		}
		return primitives;
	}

	private String text(String id) {
		return this.driver.findElements(By.id(id))
			.stream()
			.findFirst()
			.map((element) -> element.getText().trim())
			.orElse("");
	}

	private boolean isShown(String id) {
		return this.driver.findElements(By.id(id))
			.stream()
			.findFirst()
			.map((element) -> element.isDisplayed())
			.orElse(false);
	}

	/**
	 * One primitive as the page shows it.
	 * @param kind its {@code data-kind}
	 * @param fields the text of each of its {@code data-field}s
	 */
	private record Primitive(String kind, Map<String, String> fields) {

		String text(String field) {
			return this.fields.getOrDefault(field, "");
		}

		int number(String field) {
			try {
				return Integer.parseInt(text(field));
			}
			catch (NumberFormatException ex) {
				throw new AssertionError("'" + field + "' of a " + this.kind + " should be a number, but was '"
						+ text(field) + "'", ex);
			}
		}

	}

}
