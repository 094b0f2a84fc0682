package dev.gatehouse.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.stream.Collectors;

import dev.gatehouse.demo.DemoOptions.IdentityProviderOptions;
import dev.gatehouse.demo.DemoOptions.UsageException;
import dev.gatehouse.demo.conformance.ConformanceFixture;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import dev.gatehouse.demo.tools.DemoToolsServer;
import org.jspecify.annotations.Nullable;

/**
 * Command-line entry point of the runnable {@code gatehouse-demo-<version>-all.jar}.
 *
 * <pre>
 * java -jar gatehouse-demo-all.jar --plain-port 8091 --risk-port 8092 --risk-api-key-file PATH \
 *     [--idp-port 9000 --idp-client-secret-file PATH --gateway-url http://localhost:8080]
 * java -jar gatehouse-demo-all.jar --plain-port 8091 --risk-port 8092 --idp-port 9000 \
 *     --idp-client-secret-file PATH --gateway-url http://localhost:8080 --upstream-client-secret-file PATH
 * java -jar gatehouse-demo-all.jar --conformance-port 8093
 * </pre>
 *
 * <p>
 * Starts the servers on {@code 127.0.0.1}, prints one line per server to standard output,
 * for example {@code demo-tools http://127.0.0.1:8091/mcp},
 * {@code risk-assessment-mcp http://127.0.0.1:8092/mcp (X-API-Key required)} and, with
 * {@code --idp-port}, {@code identity-provider http://localhost:9000 (users: ...)} (the
 * {@link DemoIdentityProvider} with its demo users and the {@code gatehouse-web} OIDC
 * client), and runs until the process is terminated; a shutdown hook closes the servers.
 * Logs go to standard error. Exit status 2 for a bad command line, 1 if a server cannot
 * start.
 */
public final class DemoMain {

	/**
	 * Kept so that the JUL level set on Tomcat's loggers is not lost to garbage
	 * collection.
	 */
	private static final List<java.util.logging.Logger> QUIETED = new ArrayList<>();

	/** The first word of the identity provider's line. */
	static final String IDENTITY_PROVIDER_NAME = "identity-provider";

	/** The client id of the gateway's OIDC login at the demo identity provider. */
	static final String GATEWAY_CLIENT_ID = "gatehouse-web";

	/** The client id of the gateway as the OAuth client of the OAuth-protected risk server. */
	static final String UPSTREAM_CLIENT_ID = "gatehouse-upstream";

	private DemoMain() {
	}

	/**
	 * Runs the command line.
	 * @param args see {@link DemoMain}
	 * @throws InterruptedException if interrupted while waiting to be terminated
	 */
	public static void main(String[] args) throws InterruptedException {
		configureLogging();
		if (args.length > 0 && args[0].equals("token")) {
			System.exit(TokenCommand.run(args, System.out, System.err));
			return;
		}
		// The CLI's one job is to print these lines; this is the only place that writes
		// to stdout.
		PrintStream out = System.out;
		PrintStream err = System.err;
		RunningDemo demo;
		try {
			DemoOptions options = DemoOptions.parse(args);
			if (options.help()) {
				out.println(DemoOptions.USAGE);
				return;
			}
			demo = start(options, Clock.systemUTC(), out);
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
		Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "gatehouse-demo-shutdown"));
		new CountDownLatch(1).await();
	}

	/**
	 * Starts the servers the options ask for and prints their lines.
	 * @param options the parsed command line, not {@code --help}
	 * @param clock the clock of demo-tools' {@code current_time}
	 * @param out where the "name url" lines go
	 * @return what runs, in start order
	 * @throws UsageException if the API key or client secret file cannot be read or is
	 * empty
	 * @throws IllegalStateException if a server cannot start; servers already started are
	 * closed
	 */
	static RunningDemo start(DemoOptions options, Clock clock, PrintStream out) {
		List<McpServerHost> hosts = new ArrayList<>();
		try {
			Integer conformancePort = options.conformancePort();
			RunningDemo demo = (conformancePort != null) ? startConformance(conformancePort, hosts, out)
					: startDemo(options, clock, hosts, out);
			out.flush();
			return demo;
		}
		catch (UsageException | IllegalStateException ex) {
			RunningDemo.closeAll(hosts);
			throw ex;
		}
	}

	private static RunningDemo startConformance(int port, List<McpServerHost> hosts, PrintStream out) {
		hosts.add(ConformanceFixture.host().port(port).start());
		out.println(ConformanceFixture.SERVER_NAME + " " + hosts.get(0).url());
		return new RunningDemo(hosts, null);
	}

	/**
	 * Reads the secrets first, then starts demo-tools, risk-assessment-mcp and the
	 * identity provider, adding each server to {@code hosts} as soon as it runs (so that
	 * the caller can close them if a later one fails).
	 */
	private static RunningDemo startDemo(DemoOptions options, Clock clock, List<McpServerHost> hosts,
			PrintStream out) {
		Path apiKeyFile = options.riskApiKeyFile();
		String apiKey = (apiKeyFile != null) ? readApiKey(apiKeyFile) : null;
		IdentityProviderOptions idpOptions = options.identityProvider();
		String clientSecret = (idpOptions != null) ? readClientSecret(idpOptions.clientSecretFile()) : null;
		Path upstreamSecretFile = (idpOptions != null) ? idpOptions.upstreamClientSecretFile() : null;
		String upstreamSecret = (upstreamSecretFile != null) ? readClientSecret(upstreamSecretFile) : null;
		McpServerHost plain = DemoToolsServer.host(clock)
			.port(Objects.requireNonNull(options.plainPort(), "plainPort"))
			.start();
		hosts.add(plain);
		int riskPort = Objects.requireNonNull(options.riskPort(), "riskPort");
		McpServerHost risk = null;
		if (apiKey != null) {
			risk = RiskAssessmentServer.host(apiKey).port(riskPort).start();
			hosts.add(risk);
		}
		DemoIdentityProvider idp = (idpOptions != null)
				? startIdentityProvider(idpOptions, Objects.requireNonNull(clientSecret), upstreamSecret) : null;
		String riskAuth;
		if (risk == null) {
			// OAuth-protected: it trusts the identity provider, which must therefore run first.
			try {
				risk = RiskAssessmentServer.oauthHost(Objects.requireNonNull(idp).issuer()).port(riskPort).start();
			}
			catch (RuntimeException ex) {
				idp.close();
				throw ex;
			}
			hosts.add(risk);
			riskAuth = "OAuth: access tokens of " + idp.issuer() + " for this URL, scopes "
					+ RiskAssessmentServer.ANALYZE_SCOPE + " " + RiskAssessmentServer.DATA_READ_SCOPE;
		}
		else {
			riskAuth = RiskAssessmentServer.API_KEY_HEADER + " required";
		}
		out.println(DemoToolsServer.SERVER_NAME + " " + plain.url());
		out.println(RiskAssessmentServer.SERVER_NAME + " " + risk.url() + " (" + riskAuth + ")");
		if (idp != null) {
			out.println(identityProviderLine(idp));
		}
		return new RunningDemo(hosts, idp);
	}

	private static DemoIdentityProvider startIdentityProvider(IdentityProviderOptions options, String clientSecret,
			@Nullable String upstreamSecret) {
		DemoIdentityProvider.Builder builder = DemoIdentityProvider.builder()
			.port(options.port())
			.issuer(options.issuer())
			.gatewayClient(GATEWAY_CLIENT_ID, clientSecret, List.of(options.redirectUri()));
		if (upstreamSecret != null) {
			builder.client(DemoClient.builder(UPSTREAM_CLIENT_ID)
				.secret(upstreamSecret)
				.redirectUris(options.upstreamRedirectUri())
				.scopes(RiskAssessmentServer.ANALYZE_SCOPE, RiskAssessmentServer.DATA_READ_SCOPE)
				.requireConsent(true)
				.build());
		}
		return builder.start();
	}

	/**
	 * {@code identity-provider http://localhost:9000 (users: alice/password risk-analyst,
	 * ..., dave/password none)}.
	 */
	static String identityProviderLine(DemoIdentityProvider idp) {
		String users = DemoIdentityProvider.USERS.stream()
			.map((user) -> user.username() + "/" + user.password() + " "
					+ (user.roles().isEmpty() ? "none" : String.join(",", user.roles())))
			.collect(Collectors.joining(", "));
		return IDENTITY_PROVIDER_NAME + " " + idp.issuer() + " (users: " + users + ")";
	}

	static String readApiKey(Path file) {
		return readSecret(file, "API key file");
	}

	static String readClientSecret(Path file) {
		return readSecret(file, "client secret file");
	}

	private static String readSecret(Path file, String what) {
		String secret;
		try {
			secret = Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			throw new UsageException("Cannot read " + what + " " + file + " (" + ex.getClass().getSimpleName() + ")");
		}
		if (secret.isEmpty()) {
			throw new UsageException(
					what.substring(0, 1).toUpperCase(Locale.ROOT) + what.substring(1) + " " + file + " is empty");
		}
		return secret;
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
