package dev.gatehouse.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's ChromeDriver ({@code apt-get install chromium chromium-driver}),
 * never a downloaded browser. Each instance has its own profile, so its own cookies: one person each.
 */
final class Chromium implements AutoCloseable {

	private static final String BINARY = "/usr/bin/chromium";

	private static final String DRIVER = "/usr/bin/chromedriver";

	private final ChromeDriver driver;

	private final Path profile;

	private Chromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	static Chromium start() {
		if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
			throw new IllegalStateException("Chromium is missing: apt-get install chromium chromium-driver");
		}
		try {
			Path profile = Files.createTempDirectory("e2e-chromium");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(BINARY);
			options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
					"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--user-data-dir=" + profile, "--window-size=1280,900");
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
				.usingAnyFreePort()
				.build();
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
			return new Chromium(driver, profile);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void open(String url) {
		driver.get(url);
	}

	String url() {
		return driver.getCurrentUrl();
	}

	String text() {
		return driver.findElement(By.tagName("body")).getText();
	}

	WebElement find(By by) {
		return new WebDriverWait(driver, Duration.ofSeconds(20)).until((d) -> d.findElement(by));
	}

	List<WebElement> findAll(By by) {
		return driver.findElements(by);
	}

	/** Logs in on the demo identity provider's login form. */
	void logIn(String username, String password) {
		find(By.name("username")).sendKeys(username);
		driver.findElement(By.name("password")).sendKeys(password);
		driver.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
	}

	void waitForUrl(Predicate<String> condition) {
		new WebDriverWait(driver, Duration.ofSeconds(20)).until((d) -> condition.test(d.getCurrentUrl()));
	}

	@Override
	public void close() {
		driver.quit();
		try (Stream<Path> files = Files.walk(profile)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

}
