package io.github.lockstep.sample;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromedriver}, both given to
 * Selenium explicitly so that Selenium Manager never downloads anything. They are found through
 * {@code -Dlockstep.chromium=...} and {@code -Dwebdriver.chrome.driver=...}, else on the
 * {@code PATH}; without them a test fails, unless {@code -Dlockstep.browser.skip=true} disables it.
 *
 * <pre>{@code
 * ChromeDriver driver = Chromium.start();   // 1400 x 1000
 * }</pre>
 */
public final class Chromium {

	private static final String INSTALL = "install them with `sudo apt-get install chromium chromium-driver` "
			+ "(Debian, Ubuntu), or skip the browser tests with -Dlockstep.browser.skip=true";

	/**
	 * On start, Selenium looks for a DevTools binding of this Chromium's version and warns that it has
	 * none: the tests need none (the offline switch goes through chromedriver). Held so that the levels
	 * stay set.
	 */
	private static final List<Logger> CDP_WARNINGS = List.of(
			Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
			Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

	private Chromium() {
	}

	/**
	 * Starts a headless Chromium with a window of 1400 x 1000.
	 * @return its driver, to be quit by the caller
	 */
	public static ChromeDriver start() {
		Path chromedriver = executable("webdriver.chrome.driver", "chromedriver");
		Path chromium = executable("lockstep.chromium", "chromium", "chromium-browser", "google-chrome");
		CDP_WARNINGS.forEach((logger) -> logger.setLevel(Level.SEVERE));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(chromium.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
		return new ChromeDriver(service, options);
	}

	/**
	 * Returns the module's build directory, wherever the working directory is.
	 * @return {@code target}
	 */
	public static Path buildDirectory() {
		try {
			// target/test-classes
			return Path.of(Chromium.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
		}
		catch (URISyntaxException | RuntimeException ex) {
			return Path.of("target");
		}
	}

	private static Path executable(String property, String... names) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			if (!Files.isExecutable(path)) {
				fail("-D" + property + "=" + configured + " is not an executable file: point it at one, or " + INSTALL);
			}
			return path;
		}
		List<String> directories = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((directory) -> !directory.isBlank())
			.toList();
		Optional<Path> found = Arrays.stream(names)
			.flatMap((name) -> directories.stream().map((directory) -> Path.of(directory, name)))
			.filter(Files::isExecutable)
			.findFirst();
		return found.orElseGet(() -> fail("The browser tests need Chromium and its driver, but no "
				+ String.join(" or ", names) + " is on the PATH (nor set with -D" + property + "): " + INSTALL));
	}

}
