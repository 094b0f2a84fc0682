package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OAuth broker's real components: the demo IdP (Spring Authorization Server) as both the enterprise IdP and
 * the authorization server of the OAuth-protected {@code risk-assessment-mcp}, which validates audience and
 * scopes and echoes the subject it sees, and a gateway registered with it as the confidential client
 * {@value #CLIENT_ID}. Gateway, IdP and target share a {@link SteppedClock}; the target's may run ahead.
 * <pre>{@code
 * try (OAuthFixture f = OAuthFixture.builder().start()) {
 *   McpTestClient alice = f.agent("alice");
 *   f.connect("alice", OAuthFixture.link(alice.request("tools/call", CONNECT).response()));
 * }
 * }</pre>
 */
public final class OAuthFixture implements AutoCloseable {

	public static final String TARGET = "risk-assessment-mcp";

	public static final String CLIENT_ID = "gatehouse-upstream";

	public static final String CLIENT_SECRET = "upstream-secret-for-tests";

	public static final String CONNECT = "{\"name\":\"risk-assessment-mcp___connect\",\"arguments\":{}}";

	public static final String RATING = "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":{\"company\":"
			+ "\"Acme Corporation\"}}";

	public static final String ANALYZE = "{\"name\":\"risk-assessment-mcp___analyze_portfolio_risk\",\"arguments\":"
			+ "{\"holdings\":[{\"symbol\":\"AAPL\",\"weight\":0.6},{\"symbol\":\"MSFT\",\"weight\":0.4}]}}";

	private final SteppedClock clock;

	private final DemoIdentityProvider idp;

	private final McpServerHost risk;

	private final TestGateway gateway;

	private final Path dir;

	private final SteppedClock riskClock;

	private OAuthFixture(SteppedClock clock, SteppedClock riskClock, DemoIdentityProvider idp, McpServerHost risk,
			TestGateway gateway, Path dir) {
		this.clock = clock;
		this.riskClock = riskClock;
		this.idp = idp;
		this.risk = risk;
		this.gateway = gateway;
		this.dir = dir;
	}

	public static Builder builder() {
		return new Builder();
	}

	public SteppedClock clock() {
		return clock;
	}

	/** The target's clock: the shared clock plus an offset that {@link SteppedClock#shift} moves. */
	public SteppedClock riskClock() {
		return riskClock;
	}

	public DemoIdentityProvider idp() {
		return idp;
	}

	public McpServerHost risk() {
		return risk;
	}

	public TestGateway gateway() {
		return gateway;
	}

	public Path dir() {
		return dir;
	}

	/** A real access token for the gateway, from a login of {@code user} at the IdP. */
	public String token(String user) {
		return HeadlessLogin.builder(idp.issuer()).scope("openid profile roles " + IdentityFixture.SCOPE)
			.resource(gateway.mcpUrl())
			.build()
			.login(user, "password")
			.accessToken();
	}

	/** An initialised MCP client for {@code user} that declared no elicitation (links come as tool results). */
	public McpTestClient agent(String user) {
		McpTestClient client = gateway.client().bearer(token(user));
		client.initialize("2025-11-25", "{}");
		return client;
	}

	/** The consent link in a tool result ({@code isError}), a -32042 error, or an input-required result. */
	public static String link(JsonNode message) {
		String text = message.toString();
		int start = text.indexOf("http", text.indexOf("/connect/") - 40);
		int end = text.indexOf("/connect/", start);
		int stop = end;
		while (stop < text.length() && " \"\\\n(".indexOf(text.charAt(stop)) < 0) {
			stop++;
		}
		assertThat(end).as("a consent link in " + text).isPositive();
		return text.substring(start, stop);
	}

	/**
	 * Opens a consent link in a new scripted browser, logs in as {@code user}, confirms on the gateway's page,
	 * approves at the authorization server if it asks, and returns the page the callback ended on.
	 */
	public ScriptedBrowser.Page connect(String user, String link) {
		return connect(new ScriptedBrowser(), user, link);
	}

	public ScriptedBrowser.Page connect(ScriptedBrowser browser, String user, String link) {
		ScriptedBrowser.Page page = browser.open(link);
		if (page.isAt(idp.issuer() + "/login")) {
			page = browser.login(page, user, "password");
		}
		assertThat(page.body()).as("the gateway's consent page at " + page.url()).contains("id=\"connect\"");
		page = browser.submit(page, "form[action*=/connect/]", Map.of("decision", "connect"));
		if (page.isAt(idp.issuer()) && page.body().contains("consent")) {
			page = approveAtServer(browser, page);
		}
		return page;
	}

	/** Approves every scope on Spring Authorization Server's consent page. */
	public static ScriptedBrowser.Page approveAtServer(ScriptedBrowser browser, ScriptedBrowser.Page consent) {
		List<String> all = consent.document().select("input[name=scope]").eachAttr("value");
		return browser.submitRepeated(consent, "form", "scope", all);
	}

	/**
	 * Connects {@code user} through the {@code connect} tool (or, once another user's grant has filled the catalog,
	 * through the consent link of a tool call) and waits until the target's tools are listed.
	 */
	public void connectFirst(String user) {
		McpTestClient agent = agent(user);
		boolean listed = agent.result("tools/list", "{}").toString().contains("get_credit_rating");
		String link = link(agent.result("tools/call", listed ? RATING : CONNECT));
		assertThat(connect(user, link).body()).contains("data-outcome=\"connected\"");
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> agent.result("tools/list", "{}").toString().contains("get_credit_rating"));
	}

	/** The subject the target saw on its latest accepted tools/call. */
	public String lastSubjectSeen() {
		var seen = risk.observedTokens().stream().filter((t) -> t.rejection() == null && "tools/call".equals(t.method()))
			.toList();
		assertThat(seen).as("the target accepted a tools/call").isNotEmpty();
		return seen.get(seen.size() - 1).subject();
	}

	@Override
	public void close() {
		gateway.close();
		risk.close();
		idp.close();
	}

	public static final class Builder {

		private boolean consentScreen;

		private Duration upstreamTokenTtl = Duration.ofMinutes(5);

		private Duration riskClockOffset = Duration.ZERO;

		private final List<java.util.function.Function<String, DemoClient>> clients = new ArrayList<>();

		private final List<String> extraTargets = new ArrayList<>();

		private final List<String> callbacks = new ArrayList<>(List.of(TARGET));

		private Consumer<TestGateway.Builder> gatewayCustomizer = (b) -> {
		};

		private String riskAuth;

		private Duration refreshTokenTtl = DemoIdentityProvider.DEFAULT_REFRESH_TOKEN_TTL;

		private String policy;

		private Builder() {
		}

		/** Spring Authorization Server asks the user to approve the scopes. Default off. */
		public Builder consentScreen(boolean on) {
			this.consentScreen = on;
			return this;
		}

		/** The lifetime of access tokens issued to the gateway for the target. Default 5 minutes. */
		public Builder upstreamTokenTtl(Duration ttl) {
			this.upstreamTokenTtl = ttl;
			return this;
		}

		/** How far the target's clock runs ahead of everyone else's. Default none. */
		public Builder riskClockOffset(Duration offset) {
			this.riskClockOffset = offset;
			return this;
		}

		/** The lifetime of refresh tokens. Default the IdP's (8 hours). */
		public Builder refreshTokenTtl(Duration ttl) {
			this.refreshTokenTtl = ttl;
			return this;
		}

		/** The access policy (YAML) instead of the seed article's. */
		public Builder policy(String yaml) {
			this.policy = yaml;
			return this;
		}

		/** Adds {@code /oauth/callback/{target}} to the redirect URIs of the fixture's client. */
		public Builder callback(String target) {
			callbacks.add(target);
			return this;
		}

		/** Registers another client at the IdP. */
		public Builder client(DemoClient client) {
			clients.add((base) -> client);
			return this;
		}

		/** Registers another client at the IdP, built from the gateway's base URL (for redirect and JWKS URLs). */
		public Builder client(java.util.function.Function<String, DemoClient> client) {
			clients.add(client);
			return this;
		}

		/**
		 * Replaces the {@code auth} object of the risk target; {@code {ISSUER}} and {@code {SECRET_FILE}} are
		 * replaced by the IdP's issuer and the client secret file.
		 */
		public Builder riskAuth(String authJson) {
			this.riskAuth = authJson;
			return this;
		}

		/** Adds a target (JSON); {@code {RISK}} is replaced by the risk server's endpoint, {@code {ISSUER}} by the IdP's. */
		public Builder target(String name, String json) {
			extraTargets.add(json);
			callbacks.add(name);
			return this;
		}

		public Builder gateway(Consumer<TestGateway.Builder> customizer) {
			this.gatewayCustomizer = customizer;
			return this;
		}

		public OAuthFixture start() {
			try {
				SteppedClock clock = SteppedClock.startingNow();
				int port = NodeTools.freePort();
				String base = "http://127.0.0.1:" + port;
				DemoIdentityProvider.Builder idpBuilder = DemoIdentityProvider.builder()
					.clock(clock)
					.accessTokenTtl(Duration.ofHours(2))
					.refreshTokenTtl(refreshTokenTtl)
					.scopes(IdentityFixture.SCOPE)
					.gatewayClient("gatehouse-web", IdentityFixture.GATEWAY_CLIENT_SECRET,
							List.of(base + "/login/oauth2/code/idp"))
					.client(DemoClient.builder(CLIENT_ID)
						.secret(CLIENT_SECRET)
						.redirectUris(callbacks.stream().map((t) -> base + "/oauth/callback/" + t).toArray(String[]::new))
						.scopes(RiskAssessmentServer.ANALYZE_SCOPE, RiskAssessmentServer.DATA_READ_SCOPE)
						.requireConsent(consentScreen)
						.accessTokenTtl(upstreamTokenTtl)
						.build());
				clients.forEach((c) -> idpBuilder.client(c.apply(base)));
				DemoIdentityProvider idp = idpBuilder.start();
				SteppedClock riskClock = clock.offset(riskClockOffset);
				McpServerHost risk = RiskAssessmentServer.oauthHost(idp.issuer(), riskClock).start();
				Path dir = Files.createTempDirectory("gatehouse-oauth");
				Path policy = dir.resolve("policy.yaml");
				if (this.policy != null) {
					Files.writeString(policy, this.policy);
				}
				else {
					try (InputStream in = OAuthFixture.class.getResourceAsStream("/policy/seed-policy.yaml")) {
						Files.copy(in, policy, StandardCopyOption.REPLACE_EXISTING);
					}
				}
				Files.writeString(dir.resolve("client.secret"), CLIENT_SECRET);
				String auth = (riskAuth != null) ? riskAuth
						: "{\"type\":\"oauth2\",\"authorizationUrl\":\"{ISSUER}/oauth2/authorize\",\"tokenUrl\":"
								+ "\"{ISSUER}/oauth2/token\",\"scopes\":[\"risk:analyze\",\"data:read\"],\"clientId\":\""
								+ CLIENT_ID + "\",\"clientSecret\":\"file:{SECRET_FILE}\",\"revocationUrl\":"
								+ "\"{ISSUER}/oauth2/revoke\"}";
				List<String> targets = new ArrayList<>();
				targets.add("{\"name\":\"" + TARGET + "\",\"endpoint\":\"" + risk.url() + "\",\"auth\":" + auth + "}");
				targets.addAll(extraTargets);
				String json = ("[" + String.join(",", targets) + "]").replace("{ISSUER}", idp.issuer())
					.replace("{SECRET_FILE}", dir.resolve("client.secret").toString())
					.replace("{RISK}", risk.url())
					.replace("{BASE}", base);
				Files.writeString(dir.resolve("targets.json"), json);
				TestGateway.Builder builder = TestGateway.builder()
					.clock(clock)
					.dataDir(dir)
					.property("server.port", port)
					.property("gatehouse.public-url", base)
					.property("gatehouse.access.local-user.enabled", "false")
					.property("gatehouse.access.required-scopes", IdentityFixture.SCOPE)
					.property("gatehouse.access.policy-file", policy.toString())
					.property("gatehouse.targets-file", dir.resolve("targets.json").toString())
					.property("gatehouse.oauth.sweep-interval", "1h")
					.property("spring.security.oauth2.resourceserver.jwt.issuer-uri", idp.issuer())
					.property("spring.security.oauth2.client.registration.idp.client-id", "gatehouse-web")
					.property("spring.security.oauth2.client.registration.idp.client-secret",
							IdentityFixture.GATEWAY_CLIENT_SECRET)
					.property("spring.security.oauth2.client.registration.idp.scope", "openid,profile,email,roles")
					.property("spring.security.oauth2.client.provider.idp.issuer-uri", idp.issuer());
				gatewayCustomizer.accept(builder);
				return new OAuthFixture(clock, riskClock, idp, risk, builder.start(), dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	static URI uri(String text) {
		return URI.create(text);
	}
}
