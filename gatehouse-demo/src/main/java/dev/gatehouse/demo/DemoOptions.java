package dev.gatehouse.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The parsed command line of {@link DemoMain}: either the two demo servers (and
 * optionally the demo identity provider), or only the conformance fixture.
 *
 * @param plainPort port of demo-tools, or {@code null} in conformance mode
 * @param riskPort port of risk-assessment-mcp, or {@code null} in conformance mode
 * @param riskApiKeyFile file holding the risk server's API key, or {@code null} in
 * conformance mode and when the risk server is OAuth-protected (see
 * {@link IdentityProviderOptions#upstreamClientSecretFile()})
 * @param conformancePort port of the conformance fixture, or {@code null} in demo mode
 * @param identityProvider the demo identity provider's options, or {@code null} when it
 * is not started
 * @param help whether {@code --help} was given (all other fields are then {@code null})
 */
record DemoOptions(@Nullable Integer plainPort, @Nullable Integer riskPort, @Nullable Path riskApiKeyFile,
		@Nullable Integer conformancePort, @Nullable IdentityProviderOptions identityProvider, boolean help) {

	static final String USAGE = """
			Usage:
			  java -jar gatehouse-demo-all.jar --plain-port PORT --risk-port PORT --risk-api-key-file PATH
			      [--idp-port PORT --idp-client-secret-file PATH --gateway-url URL]
			  java -jar gatehouse-demo-all.jar --plain-port PORT --risk-port PORT --idp-port PORT
			      --idp-client-secret-file PATH --gateway-url URL --upstream-client-secret-file PATH
			  java -jar gatehouse-demo-all.jar --conformance-port PORT
			  java -jar gatehouse-demo-all.jar --help

			Starts MCP servers (and optionally the demo identity provider) on 127.0.0.1 and prints one
			line per server: "<name> <url>".
			  --plain-port PORT           demo-tools (echo, add, current_time, word_count, slow_countdown)
			  --risk-port PORT            risk-assessment-mcp (requires header X-API-Key, or with
			                              --upstream-client-secret-file an access token of the IdP)
			  --risk-api-key-file PATH    file whose content (trimmed) is the risk server's API key
			  --idp-port PORT             also the demo identity provider, issuer http://localhost:PORT
			                              (1..65535: the gateway must know the issuer in advance)
			  --idp-client-secret-file PATH  secret (trimmed) of its OIDC client "gatehouse-web"
			  --gateway-url URL           the gateway's public URL; the client's redirect URI is
			                              URL/login/oauth2/code/idp
			  --upstream-client-secret-file PATH  makes risk-assessment-mcp OAuth-protected by the IdP
			                              (audience = its URL, scopes risk:analyze and data:read) and
			                              registers the gateway's confidential client "gatehouse-upstream"
			                              with this secret (trimmed), redirect URI
			                              URL/oauth/callback/risk-assessment-mcp (the IdP asks for consent)
			  --conformance-port PORT     only the MCP conformance-suite fixture
			PORT is 0..65535; 0 picks a free port. Runs until killed.""";

	private static final String PLAIN_PORT = "--plain-port";

	private static final String RISK_PORT = "--risk-port";

	private static final String RISK_API_KEY_FILE = "--risk-api-key-file";

	private static final String CONFORMANCE_PORT = "--conformance-port";

	private static final String IDP_PORT = "--idp-port";

	private static final String IDP_CLIENT_SECRET_FILE = "--idp-client-secret-file";

	private static final String GATEWAY_URL = "--gateway-url";

	private static final String UPSTREAM_CLIENT_SECRET_FILE = "--upstream-client-secret-file";

	private static final Set<String> OPTIONS = Set.of(PLAIN_PORT, RISK_PORT, RISK_API_KEY_FILE, CONFORMANCE_PORT,
			IDP_PORT, IDP_CLIENT_SECRET_FILE, GATEWAY_URL, UPSTREAM_CLIENT_SECRET_FILE);

	private static final Set<String> IDP_OPTIONS = Set.of(IDP_PORT, IDP_CLIENT_SECRET_FILE, GATEWAY_URL);

	/**
	 * Parses {@code --name value} and {@code --name=value} options.
	 * @param args the command line
	 * @return the options
	 * @throws UsageException with a message naming the problem
	 */
	static DemoOptions parse(String... args) {
		if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
			return new DemoOptions(null, null, null, null, null, true);
		}
		Map<String, String> values = collect(args);
		if (values.containsKey(CONFORMANCE_PORT)) {
			if (values.size() > 1) {
				throw new UsageException(CONFORMANCE_PORT + " cannot be combined with other options");
			}
			return new DemoOptions(null, null, null, port(values, CONFORMANCE_PORT), null, false);
		}
		for (String required : new String[] { PLAIN_PORT, RISK_PORT }) {
			if (!values.containsKey(required)) {
				throw new UsageException("Missing " + required);
			}
		}
		boolean oauthRisk = values.containsKey(UPSTREAM_CLIENT_SECRET_FILE);
		if (oauthRisk && values.containsKey(RISK_API_KEY_FILE)) {
			throw new UsageException(RISK_API_KEY_FILE + " and " + UPSTREAM_CLIENT_SECRET_FILE + " exclude each other: "
					+ "the risk server takes either an API key or OAuth access tokens");
		}
		if (!oauthRisk && !values.containsKey(RISK_API_KEY_FILE)) {
			throw new UsageException("Missing " + RISK_API_KEY_FILE + " (or " + UPSTREAM_CLIENT_SECRET_FILE
					+ " with the identity provider options)");
		}
		int plainPort = port(values, PLAIN_PORT);
		int riskPort = port(values, RISK_PORT);
		if (plainPort != 0 && plainPort == riskPort) {
			throw new UsageException(PLAIN_PORT + " and " + RISK_PORT + " must differ");
		}
		IdentityProviderOptions identityProvider = identityProvider(values);
		if (identityProvider != null
				&& (identityProvider.port() == plainPort || identityProvider.port() == riskPort)) {
			throw new UsageException(IDP_PORT + " must differ from " + PLAIN_PORT + " and " + RISK_PORT);
		}
		if (oauthRisk && identityProvider == null) {
			throw new UsageException(UPSTREAM_CLIENT_SECRET_FILE + " needs " + IDP_PORT + ", " + IDP_CLIENT_SECRET_FILE
					+ " and " + GATEWAY_URL + ": the identity provider protects the risk server");
		}
		String apiKeyFile = values.get(RISK_API_KEY_FILE);
		return new DemoOptions(plainPort, riskPort, (apiKeyFile != null) ? Path.of(apiKeyFile) : null, null,
				identityProvider, false);
	}

	private static @Nullable IdentityProviderOptions identityProvider(Map<String, String> values) {
		if (IDP_OPTIONS.stream().noneMatch(values::containsKey)) {
			return null;
		}
		for (String required : new String[] { IDP_PORT, IDP_CLIENT_SECRET_FILE, GATEWAY_URL }) {
			if (!values.containsKey(required)) {
				throw new UsageException("Missing " + required + " (" + IDP_PORT + ", " + IDP_CLIENT_SECRET_FILE
						+ " and " + GATEWAY_URL + " go together)");
			}
		}
		int port = port(values, IDP_PORT);
		if (port == 0) {
			throw new UsageException(IDP_PORT + " must be 1..65535: the issuer URL must be known in advance");
		}
		String upstreamSecretFile = values.get(UPSTREAM_CLIENT_SECRET_FILE);
		return new IdentityProviderOptions(port, Path.of(Objects.requireNonNull(values.get(IDP_CLIENT_SECRET_FILE))),
				gatewayUrl(Objects.requireNonNull(values.get(GATEWAY_URL))),
				(upstreamSecretFile != null) ? Path.of(upstreamSecretFile) : null);
	}

	private static String gatewayUrl(String value) {
		String url = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
		try {
			URI uri = new URI(url);
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
					&& uri.getRawQuery() == null && uri.getRawFragment() == null) {
				return url;
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		throw new UsageException(GATEWAY_URL + " must be an http(s) URL without query or fragment but was '" + value
				+ "'");
	}

	private static Map<String, String> collect(String[] args) {
		if (args.length == 0) {
			throw new UsageException("No options given");
		}
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String name = args[i];
			String value;
			int equals = name.indexOf('=');
			if (equals > 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
				value = args[++i];
			}
			else {
				value = null;
			}
			if (!OPTIONS.contains(name)) {
				throw new UsageException("Unknown option '" + name + "'");
			}
			if (value == null || value.isBlank()) {
				throw new UsageException("Missing value for " + name);
			}
			if (values.put(name, value) != null) {
				throw new UsageException(name + " given more than once");
			}
		}
		return values;
	}

	private static int port(Map<String, String> values, String name) {
		String value = values.get(name);
		try {
			int port = Integer.parseInt(value);
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException(name + " must be a port number 0..65535 but was '" + value + "'");
	}

	/**
	 * The demo identity provider's options.
	 *
	 * @param port its port on {@code 127.0.0.1}; the issuer is {@code http://localhost:PORT}
	 * @param clientSecretFile file holding the secret of the {@code gatehouse-web} client
	 * @param gatewayUrl the gateway's public URL, without trailing slash
	 * @param upstreamClientSecretFile file holding the secret of the gateway's upstream client
	 * {@code gatehouse-upstream}, when the risk server is OAuth-protected; else {@code null}
	 */
	record IdentityProviderOptions(int port, Path clientSecretFile, String gatewayUrl,
			@Nullable Path upstreamClientSecretFile) {

		/**
		 * The redirect URI of the gateway's OIDC login (Spring Security's default for the
		 * registration id {@code idp}).
		 * @return {@code <gatewayUrl>/login/oauth2/code/idp}
		 */
		String redirectUri() {
			return this.gatewayUrl + "/login/oauth2/code/idp";
		}

		String issuer() {
			return "http://localhost:" + this.port;
		}

		/**
		 * The redirect URI of the gateway's upstream authorization for risk-assessment-mcp.
		 * @return {@code <gatewayUrl>/oauth/callback/risk-assessment-mcp}
		 */
		String upstreamRedirectUri() {
			return this.gatewayUrl + "/oauth/callback/" + dev.gatehouse.demo.risk.RiskAssessmentServer.SERVER_NAME;
		}

	}

	/**
	 * A command line {@link DemoMain} cannot run; the message says why.
	 */
	static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

}
