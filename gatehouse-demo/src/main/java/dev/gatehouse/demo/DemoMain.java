package dev.gatehouse.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

import dev.gatehouse.demo.DemoOptions.UsageException;
import dev.gatehouse.demo.conformance.ConformanceFixture;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import dev.gatehouse.demo.tools.DemoToolsServer;

/**
 * Command-line entry point of the runnable {@code gatehouse-demo-<version>-all.jar}.
 *
 * <pre>
 * java -jar gatehouse-demo-all.jar --plain-port 8091 --risk-port 8092 --risk-api-key-file PATH
 * java -jar gatehouse-demo-all.jar --conformance-port 8093
 * </pre>
 *
 * <p>
 * Starts the servers on {@code 127.0.0.1}, prints one line per server to standard output,
 * for example {@code demo-tools http://127.0.0.1:8091/mcp} and
 * {@code risk-assessment-mcp http://127.0.0.1:8092/mcp (X-API-Key required)}, and runs
 * until the process is terminated; a shutdown hook closes the servers. Logs go to
 * standard error. Exit status 2 for a bad command line, 1 if a server cannot start.
 */
public final class DemoMain {

	/**
	 * Kept so that the JUL level set on Tomcat's loggers is not lost to garbage
	 * collection.
	 */
	private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

	private DemoMain() {
	}

	/**
	 * Runs the command line.
	 * @param args see {@link DemoMain}
	 * @throws InterruptedException if interrupted while waiting to be terminated
	 */
	public static void main(String[] args) throws InterruptedException {
		configureLogging();
		// The CLI's one job is to print these lines; this is the only place that writes
		// to stdout.
		PrintStream out = System.out;
		PrintStream err = System.err;
		List<McpServerHost> hosts;
		try {
			DemoOptions options = DemoOptions.parse(args);
			if (options.help()) {
				out.println(DemoOptions.USAGE);
				return;
			}
			hosts = start(options, Clock.systemUTC(), out);
		}
		catch (UsageException ex) {
			err.println("gatehouse-demo: " + ex.getMessage());
			err.println();
			err.println(DemoOptions.USAGE);
			System.exit(2);
			return;
		}
		catch (IllegalStateException ex) {
			err.println("gatehouse-demo: " + ex.getMessage());
			System.exit(1);
			return;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(hosts), "gatehouse-demo-shutdown"));
		new CountDownLatch(1).await();
	}

	/**
	 * Starts the servers the options ask for and prints their lines.
	 * @param options the parsed command line, not {@code --help}
	 * @param clock the clock of demo-tools' {@code current_time}
	 * @param out where the "name url" lines go
	 * @return the running hosts, in start order
	 * @throws UsageException if the API key file cannot be read or is empty
	 * @throws IllegalStateException if a server cannot start; servers already started are
	 * closed
	 */
	static List<McpServerHost> start(DemoOptions options, Clock clock, PrintStream out) {
		List<McpServerHost> hosts = new ArrayList<>();
		try {
			if (options.conformancePort() != null) {
				hosts.add(ConformanceFixture.host().port(options.conformancePort()).start());
				out.println(ConformanceFixture.SERVER_NAME + " " + hosts.get(0).url());
			}
			else {
				String apiKey = readApiKey(Objects.requireNonNull(options.riskApiKeyFile(), "riskApiKeyFile"));
				McpServerHost plain = DemoToolsServer.host(clock)
					.port(Objects.requireNonNull(options.plainPort(), "plainPort"))
					.start();
				hosts.add(plain);
				McpServerHost risk = RiskAssessmentServer.host(apiKey)
					.port(Objects.requireNonNull(options.riskPort(), "riskPort"))
					.start();
				hosts.add(risk);
				out.println(DemoToolsServer.SERVER_NAME + " " + plain.url());
				out.println(RiskAssessmentServer.SERVER_NAME + " " + risk.url() + " ("
						+ RiskAssessmentServer.API_KEY_HEADER + " required)");
			}
			out.flush();
			return hosts;
		}
		catch (UsageException | IllegalStateException ex) {
			closeAll(hosts);
			throw ex;
		}
	}

	static String readApiKey(Path file) {
		String key;
		try {
			key = Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UsageException("Cannot read API key file " + file + " (" + ex.getClass().getSimpleName() + ")");
		}
		if (key.isEmpty()) {
			throw new UsageException("API key file " + file + " is empty");
		}
		return key;
	}

	private static void closeAll(List<McpServerHost> hosts) {
		List<McpServerHost> reversed = new ArrayList<>(hosts);
		Collections.reverse(reversed);
		reversed.forEach(McpServerHost::close);
	}

	/**
	 * Sends logs to stderr at INFO for Gatehouse and WARN for the SDK, unless the user
	 * chose a configuration. Must run before the first SLF4J logger is created. The
	 * configuration is a classpath resource with a name Logback does not pick up by
	 * itself, so the thin jar imposes nothing on applications that depend on it.
	 */
	private static void configureLogging() {
		if (System.getProperty("logback.configurationFile") == null) {
			System.setProperty("logback.configurationFile", "gatehouse-demo-logback.xml");
		}
		for (String name : new String[] { "org.apache.catalina", "org.apache.coyote", "org.apache.tomcat" }) {
			java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
			logger.setLevel(Level.WARNING);
			QUIETED.add(logger);
		}
	}

}
