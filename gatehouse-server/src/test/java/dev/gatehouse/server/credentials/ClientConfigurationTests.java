package dev.gatehouse.server.credentials;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.TokenRequest;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.ScriptedBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the gateway is a client of each target's authorization server: a client-credentials target (one token per
 * target), {@code private_key_jwt}, a target that gives only its endpoint (discovery and dynamic registration), a
 * server that does not advertise PKCE S256 (refused), and a client secret held by the vault and rotated without
 * downtime.
 */
class ClientConfigurationTests {

	static final String EVERYONE = """
			mode: enforce
			roleMappings: [{claim: roles, value: "*"}]
			rules: [{id: everyone, effect: allow, roles: ["*"], targets: ["*"]}]
			""";

	static OAuthFixture fixture;

	static HttpServer noPkce;

	static AuditCapture audit;

	@BeforeAll
	static void start() throws IOException {
		noPkce = noPkceServer();
		String noPkceUrl = "http://127.0.0.1:" + noPkce.getAddress().getPort();
		fixture = OAuthFixture.builder()
			.policy(EVERYONE)
			.client(DemoClient.builder("gatehouse-m2m")
				.secret(OAuthFixture.CLIENT_SECRET)
				.grantTypes(DemoClient.CLIENT_CREDENTIALS)
				.scopes("data:read")
				.accessTokenTtl(Duration.ofMinutes(5))
				.build())
			.client((base) -> DemoClient.builder("gatehouse-pkjwt")
				.authenticationMethods(DemoClient.PRIVATE_KEY_JWT)
				.jwkSetUrl(base + "/oauth/jwks")
				.redirectUris(base + "/oauth/callback/risk-pkjwt")
				.scopes("data:read")
				.accessTokenTtl(Duration.ofMinutes(5))
				.build())
			.client((base) -> DemoClient.builder("gatehouse-rotating")
				.secret("s1")
				.redirectUris(base + "/oauth/callback/risk-rotating")
				.scopes("data:read")
				.accessTokenTtl(Duration.ofMinutes(5))
				.build())
			.target("risk-m2m", "{\"name\":\"risk-m2m\",\"endpoint\":\"{RISK}\",\"auth\":{\"type\":\"oauth2\",\"tokenUrl\":"
					+ "\"{ISSUER}/oauth2/token\",\"grantType\":\"client_credentials\",\"scopes\":[\"data:read\"],"
					+ "\"clientId\":\"gatehouse-m2m\",\"clientSecret\":\"file:{SECRET_FILE}\"}}")
			.target("risk-pkjwt", "{\"name\":\"risk-pkjwt\",\"endpoint\":\"{RISK}\",\"auth\":{\"type\":\"oauth2\","
					+ "\"authorizationUrl\":\"{ISSUER}/oauth2/authorize\",\"tokenUrl\":\"{ISSUER}/oauth2/token\","
					+ "\"scopes\":[\"data:read\"],\"clientId\":\"gatehouse-pkjwt\",\"tokenEndpointAuthMethod\":"
					+ "\"private_key_jwt\"}}")
			.target("risk-dcr", "{\"name\":\"risk-dcr\",\"endpoint\":\"{RISK}\",\"auth\":{\"type\":\"oauth2\"}}")
			.target("no-pkce", "{\"name\":\"no-pkce\",\"endpoint\":\"" + noPkceUrl + "/mcp\",\"auth\":{\"type\":"
					+ "\"oauth2\",\"clientId\":\"gatehouse\"}}")
			.gateway((b) -> b.property("gatehouse.oauth.dynamic-registration.allowed-issuers", "*"))
			.start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
		noPkce.stop(0);
	}

	@Test
	void aClientCredentialsTargetUsesOneTokenOfItsOwnForEveryCaller() {
		McpTestClient alice = fixture.agent("alice");
		McpTestClient bob = fixture.agent("bob");
		await().atMost(Duration.ofSeconds(20)).until(() -> alice.result("tools/list", "{}").toString().contains("risk-m2m___get_credit_rating"));
		String call = OAuthFixture.RATING.replace(OAuthFixture.TARGET, "risk-m2m");
		long before = fixture.idp().tokenRequestCount("client_credentials");
		for (McpTestClient agent : List.of(alice, bob, alice)) {
			JsonNode result = agent.result("tools/call", call);
			assertThat(result.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("gatehouse-m2m");
		}
		assertThat(fixture.idp().tokenRequestCount("client_credentials")).as("one token, shared").isEqualTo(before);
		fixture.clock().advance(Duration.ofMinutes(5));
		alice.result("tools/call", call);
		assertThat(fixture.idp().tokenRequestCount("client_credentials")).isEqualTo(before + 1);
		TokenRequest last = last("client_credentials");
		assertThat(last.resources()).containsExactly(fixture.risk().url());
		assertThat(last.scope()).isEqualTo("data:read");
		Grant grant = fixture.gateway().bean(Grants.class).list("risk-m2m", null, null).get(0);
		assertThat(grant.issuer()).isEqualTo(Grant.CLIENT_CREDENTIALS_ISSUER);
		assertThat(grant.grantType()).isEqualTo("client_credentials");
	}

	@Test
	void privateKeyJwtAuthenticatesWithTheGatewaysOwnKeyWhosePublicHalfIsPublished() {
		McpTestClient alice = fixture.agent("alice");
		String link = OAuthFixture.link(alice.result("tools/call", "{\"name\":\"risk-pkjwt___connect\",\"arguments\":{}}"));
		assertThat(fixture.connect("alice", link).body()).contains("data-outcome=\"connected\"");
		TokenRequest exchange = last("authorization_code");
		assertThat(exchange.clientId()).isEqualTo("gatehouse-pkjwt");
		assertThat(exchange.clientAuthenticationMethod()).isEqualTo("private_key_jwt");
		assertThat(exchange.status()).isEqualTo(200);
		AdminClient.Response jwks = new AdminClient(fixture.gateway().baseUrl()).get("/oauth/jwks");
		assertThat(jwks.status()).isEqualTo(200);
		JsonNode key = jwks.json().get("keys").get(0);
		assertThat(key.get("kty").asString()).isEqualTo("RSA");
		assertThat(key.has("d")).as("no private part").isFalse();
		assertThat(key.has("p")).isFalse();
	}

	@Test
	void aTargetThatGivesOnlyItsEndpointIsDiscoveredAndTheGatewayRegistersItself() {
		McpTestClient alice = fixture.agent("alice");
		String link = OAuthFixture.link(alice.result("tools/call", "{\"name\":\"risk-dcr___connect\",\"arguments\":{}}"));
		ScriptedBrowser.Page page = fixture.connect("alice", link);
		assertThat(page.body()).contains("data-outcome=\"connected\"");
		var jdbc = fixture.gateway().bean(org.springframework.jdbc.core.simple.JdbcClient.class);
		var registration = jdbc.sql("select issuer, client_id, token_endpoint_auth_method, redirect_uri from "
				+ "client_registration where target = 'risk-dcr'").query().listOfRows();
		assertThat(registration).hasSize(1);
		assertThat(registration.get(0).get("issuer")).isEqualTo(fixture.idp().issuer());
		assertThat(registration.get(0).get("redirect_uri").toString()).endsWith("/oauth/callback/risk-dcr");
		String clientId = registration.get(0).get("client_id").toString();
		assertThat(last("authorization_code").clientId()).isEqualTo(clientId);
		assertThat(audit.awaitType("oauth_client_registered", clientId).toString()).contains(clientId).doesNotContain("secret\":\"");
		await().atMost(Duration.ofSeconds(20)).until(() -> alice.result("tools/list", "{}").toString().contains("risk-dcr___get_credit_rating"));
		JsonNode result = alice.result("tools/call", OAuthFixture.RATING.replace(OAuthFixture.TARGET, "risk-dcr"));
		assertThat(result.get("_meta").get("dev.gatehouse.demo/caller").get("client_id").asString()).isEqualTo(clientId);
		assertThat(fixture.gateway().bean(Grants.class).list("risk-dcr", null, "alice").get(0).scopes())
			.as("the scopes come from the protected resource metadata").containsExactly("risk:analyze", "data:read");
	}

	@Test
	void anAuthorizationServerThatDoesNotAdvertisePkceS256IsRefused() {
		McpTestClient alice = fixture.agent("alice");
		String link = OAuthFixture.link(alice.result("tools/call", "{\"name\":\"no-pkce___connect\",\"arguments\":{}}"));
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page page = browser.login(browser.open(link), "alice", "password");
		assertThat(page.status()).isEqualTo(502);
		assertThat(page.body()).contains("data-reason=\"target_unavailable\"");
		assertThat(audit.awaitType("consent_failed", "does not advertise PKCE S256").toString()).contains("does not advertise PKCE S256");
		assertThat(fixture.gateway().bean(Grants.class).list("no-pkce", null, null)).isEmpty();
	}

	@Test
	void aClientSecretHeldByTheVaultRotatesWithoutDowntime() {
		AdminClient admin = fixture.gateway().admin().withBearer(fixture.token("carol"));
		AdminClient.Response created = admin.post("/admin/api/targets", "{\"name\":\"risk-rotating\",\"endpoint\":\""
				+ fixture.risk().url() + "\",\"auth\":{\"type\":\"oauth2\",\"authorizationUrl\":\"" + fixture.idp().issuer()
				+ "/oauth2/authorize\",\"tokenUrl\":\"" + fixture.idp().issuer() + "/oauth2/token\",\"scopes\":"
				+ "[\"data:read\"],\"clientId\":\"gatehouse-rotating\",\"clientSecret\":\"s1\"}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		assertThat(created.body()).contains("vault:client-secret").doesNotContain("\"s1\"");
		assertThat(admin.get("/admin/api/targets/risk-rotating").body()).doesNotContain("\"s1\"");

		McpTestClient alice = fixture.agent("alice");
		String link = OAuthFixture.link(alice.result("tools/call", "{\"name\":\"risk-rotating___connect\",\"arguments\":{}}"));
		assertThat(fixture.connect("alice", link).body()).contains("data-outcome=\"connected\"");
		await().atMost(Duration.ofSeconds(20)).until(() -> alice.result("tools/list", "{}").toString().contains("risk-rotating___get_credit_rating"));
		String call = OAuthFixture.RATING.replace(OAuthFixture.TARGET, "risk-rotating");

		AdminClient.Response rotated = admin.post("/admin/api/targets/risk-rotating/client-secret/rotate", "{\"secret\":\"s2\"}");
		assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
		assertThat(rotated.body()).contains("previousSecretValidUntil").doesNotContain("s2").doesNotContain("s1");
		refreshAndCall(alice, call, "the server still knows only s1: the previous secret is used");
		fixture.idp().changeClientSecret("gatehouse-rotating", "s2");
		refreshAndCall(alice, call, "the server now knows only s2: the current secret is used");
		assertThat(admin.delete("/admin/api/targets/risk-rotating/client-secret/previous").status()).isEqualTo(204);
		refreshAndCall(alice, call, "without the previous secret");

		fixture.idp().changeClientSecret("gatehouse-rotating", "s3");
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		fixture.clock().advance(Duration.ofMinutes(1));
		JsonNode error = alice.request("tools/call", call).response().get("error");
		assertThat(error.get("data").get("reason").asString()).isEqualTo("authorization_unavailable");
		assertThat(fixture.gateway().bean(Grants.class).list("risk-rotating", null, "alice").get(0).active())
			.as("a refused client secret does not burn the user's grant").isTrue();

		AdminClient.Response fileHeld = admin.put("/admin/api/targets/risk-assessment-mcp/client-secret", "{\"secret\":\"x\"}");
		assertThat(fileHeld.status()).isEqualTo(409);
		assertThat(fileHeld.body()).contains("file:").doesNotContain("\"x\"");
		AdminClient.Response empty = admin.post("/admin/api/targets/risk-rotating/client-secret/rotate", "{\"secret\":\"\"}");
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.body()).contains("secret");
	}

	private static void refreshAndCall(McpTestClient agent, String call, String because) {
		long before = fixture.idp().tokenRequests().stream()
			.filter((r) -> "gatehouse-rotating".equals(r.clientId()) && r.status() == 200)
			.count();
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		JsonNode result = agent.result("tools/call", call);
		assertThat(result.has("isError") && result.get("isError").asBoolean()).as(because + ": " + result).isFalse();
		long after = fixture.idp().tokenRequests().stream()
			.filter((r) -> "gatehouse-rotating".equals(r.clientId()) && r.status() == 200)
			.count();
		assertThat(after).as(because + ": the refresh succeeded").isEqualTo(before + 1);
	}

	private static TokenRequest last(String grantType) {
		List<TokenRequest> all = fixture.idp().tokenRequests().stream().filter((r) -> grantType.equals(r.grantType())).toList();
		return all.get(all.size() - 1);
	}

	/**
	 * An MCP endpoint protected by an authorization server whose metadata does not list
	 * {@code code_challenge_methods_supported}: the metadata a real server without PKCE publishes.
	 */
	private static HttpServer noPkceServer() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		String base = "http://127.0.0.1:" + server.getAddress().getPort();
		server.createContext("/", (exchange) -> {
			String path = exchange.getRequestURI().getPath();
			String body;
			int status = 200;
			if (path.equals("/mcp")) {
				exchange.getResponseHeaders().add("WWW-Authenticate",
						"Bearer resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"");
				status = 401;
				body = "{}";
			}
			else if (path.startsWith("/.well-known/oauth-protected-resource")) {
				body = "{\"resource\":\"" + base + "/mcp\",\"authorization_servers\":[\"" + base + "\"]}";
			}
			else if (path.equals("/.well-known/oauth-authorization-server")) {
				body = "{\"issuer\":\"" + base + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
						+ "\"token_endpoint\":\"" + base + "/token\",\"response_types_supported\":[\"code\"]}";
			}
			else {
				status = 404;
				body = "{}";
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		server.start();
		return server;
	}
}
