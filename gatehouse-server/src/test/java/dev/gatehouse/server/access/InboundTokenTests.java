package dev.gatehouse.server.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as an OAuth 2.1 resource server for agents, with real tokens from the demo identity provider
 * (Spring Authorization Server) and crafted variants: each bad token is refused with 401 and a
 * {@code WWW-Authenticate} challenge, nothing reaches a target, and the attempt is audited without the token.
 */
class InboundTokenTests {

	static IdentityFixture fixture;

	static AuditCapture audit;

	static final String CALL = "{\"name\":\"demo-tools___echo\",\"arguments\":{\"text\":\"hi\"}}";

	@BeforeAll
	static void start() {
		fixture = IdentityFixture.start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@BeforeEach
	void clear() {
		audit.clear();
	}

	@Test
	void realTokenFromTheIdentityProviderListsAndCallsTools() {
		McpTestClient client = fixture.client(fixture.token("alice"));
		client.initialize();
		JsonNode tools = client.result("tools/list", "{}").get("tools");
		assertThat(tools.toString()).contains("demo-tools___echo", "risk-assessment-mcp___analyze_portfolio_risk");
		JsonNode result = client.result("tools/call", CALL);
		assertThat(result.get("content").get(0).get("text").asString()).contains("hi");
		JsonNode record = await().atMost(Duration.ofSeconds(5)).until(() -> audit.ofType("tool_call"), (r) -> !r.isEmpty())
			.get(0);
		assertThat(record.get("subject").asString()).isEqualTo("alice");
		assertThat(record.get("issuer").asString()).isEqualTo(fixture.idp().issuer());
		assertThat(record.get("decision").asString()).isEqualTo("allow");
	}

	@Test
	void requestWithoutTokenGets401PointingAtTheResourceMetadata() throws Exception {
		Reply reply = fixture.gateway().client().post(initialize(), Map.of());
		assertThat(reply.status()).isEqualTo(401);
		String challenge = reply.header("WWW-Authenticate");
		assertThat(challenge).startsWith("Bearer resource_metadata=\"" + fixture.gateway().baseUrl()
				+ "/.well-known/oauth-protected-resource/mcp\"").contains("scope=\"mcp:tools\"");
		assertThat(challenge).doesNotContain("error=");
		assertThat(reply.header("Mcp-Session-Id")).isNull();
		HttpResponse<String> metadata = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl()
					+ "/.well-known/oauth-protected-resource/mcp")).build(), HttpResponse.BodyHandlers.ofString());
		JsonNode prm = McpTestClient.JSON.readTree(metadata.body());
		assertThat(prm.get("resource").asString()).isEqualTo(fixture.resource());
		assertThat(prm.get("authorization_servers").get(0).asString()).isEqualTo(fixture.idp().issuer());
		assertThat(prm.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
		assertThat(prm.get("scopes_supported").toString()).isEqualTo("[\"mcp:tools\"]");
		assertThat(prm.get("tls_client_certificate_bound_access_tokens").asBoolean()).isFalse();
	}

	@Test
	void expiredTokenIsRefused() {
		java.time.Instant now = java.time.Instant.now();
		assertRefused(fixture.craft((c) -> c.issueTime(Date.from(now.minusSeconds(900)))
			.notBeforeTime(Date.from(now.minusSeconds(900)))
			.expirationTime(Date.from(now.minusSeconds(600)))), "expired");
	}

	@Test
	void tokenForAnotherAudienceIsRefused() {
		String token = fixture.login("alice", "https://other-service.example.com/mcp").accessToken();
		assertRefused(token, "audience");
	}

	@Test
	void tokenFromAnUntrustedIssuerIsRefused() {
		assertRefused(fixture.craft((c) -> c.issuer("https://evil.example.com")), "not trusted");
	}

	@Test
	void unsignedTokenIsRefused() {
		String signed = fixture.craft((c) -> {
		});
		String[] parts = signed.split("\\.");
		String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}").toString();
		assertRefused(header + "." + parts[1] + ".", null);
	}

	@Test
	void tokenWithABadSignatureIsRefused() throws Exception {
		RSAKey impostor = new RSAKeyGenerator(2048).keyID("test-key-1").generate();
		assertRefused(fixture.craft(impostor, JWSAlgorithm.RS256, (c) -> {
		}), "signature");
	}

	@Test
	void tokenSignedWithAnUnknownKeyIsRefused() throws Exception {
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown-kid").generate();
		assertRefused(fixture.craft(stranger, JWSAlgorithm.RS256, (c) -> {
		}), null);
	}

	@Test
	void tokenNotYetValidIsRefused() {
		assertRefused(fixture.craft((c) -> c.notBeforeTime(Date.from(java.time.Instant.now().plusSeconds(3600)))),
				null);
	}

	@Test
	void tokenInTheUrlIsRefused() {
		McpTestClient client = new McpTestClient(fixture.gateway().mcpUrl() + "?access_token=" + fixture.token("alice"));
		Reply reply = client.post(initialize(), Map.of());
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("Authorization header");
	}

	@Test
	void tokenWithoutTheRequiredScopeGets403NamingIt() {
		String token = fixture.craft((c) -> c.claim("scope", "openid profile"));
		Reply reply = fixture.client(token).post(initialize(), Map.of());
		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"")
			.contains("scope=\"mcp:tools\"").contains("resource_metadata=");
		assertThat(reply.header("Mcp-Session-Id")).isNull();
	}

	@Test
	void anotherUsersTokenOnASessionIsRejected() {
		McpTestClient alice = fixture.client(fixture.token("alice"));
		alice.initialize();
		McpTestClient bob = fixture.client(fixture.token("bob")).session(alice.sessionId(), "2025-11-25");
		Reply reply = bob.request("tools/call", CALL);
		assertThat(reply.status()).isEqualTo(404);
		assertThat(audit.ofType("tool_call")).isEmpty();
		JsonNode rejected = await().atMost(Duration.ofSeconds(5))
			.until(() -> audit.ofType("session_rejected"), (r) -> !r.isEmpty())
			.get(0);
		assertThat(rejected.get("subject").asString()).isEqualTo("bob");
		assertThat(rejected.get("reason").asString()).contains("another user");
		assertThat(alice.request("ping", null).status()).isEqualTo(200);
	}

	@Test
	void aRepeatedTokenIsServedFromTheCacheWithTheSameResult() {
		String token = fixture.token("carol");
		for (int i = 0; i < 5; i++) {
			McpTestClient client = fixture.client(token);
			assertThat(client.initialize().get("protocolVersion").asString()).isEqualTo("2025-11-25");
		}
	}

	private void assertRefused(String token, String descriptionPart) {
		McpTestClient client = fixture.client(token);
		Reply reply = client.post(initialize(), Map.of());
		assertThat(reply.status()).as(reply.body()).isEqualTo(401);
		String challenge = reply.header("WWW-Authenticate");
		assertThat(challenge).startsWith("Bearer resource_metadata=").contains("error=\"invalid_token\"");
		if (descriptionPart != null) {
			assertThat(challenge.toLowerCase(java.util.Locale.ROOT)).contains(descriptionPart);
		}
		assertThat(reply.header("Mcp-Session-Id")).isNull();
		Reply call = client.request("tools/call", CALL);
		assertThat(call.status()).isEqualTo(401);
		List<JsonNode> failures = await().atMost(Duration.ofSeconds(5))
			.until(() -> audit.ofType("authentication_failed"), (r) -> r.size() >= 2);
		assertThat(failures.get(0).get("error").asString()).isEqualTo("invalid_token");
		assertThat(audit.ofType("tool_call")).isEmpty();
		assertThat(audit.text()).doesNotContain(token);
	}

	static String initialize() {
		return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
				+ "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
	}
}
