package dev.gatehouse.server.access;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several trusted issuers, an issuer rotating its signing key, a policy file changed while the gateway runs,
 * and the rule that the agent's token never reaches a target.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class TrustedIssuersTests {

	static DemoIdentityProvider second;

	static IdentityFixture fixture;

	static FakeMcpServer recorder;

	@BeforeAll
	static void start() {
		second = DemoIdentityProvider.builder().scopes(IdentityFixture.SCOPE).start();
		recorder = FakeMcpServer.start((message) -> new FakeMcpServer.Answer(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id") + ",\"result\":{\"content\":[{\"type\":\"text\","
						+ "\"text\":\"recorded\"}]}}"));
		fixture = IdentityFixture.start((gateway) -> gateway
			.property("gatehouse.access.issuers[0].issuer-uri", second.issuer()));
	}

	@AfterAll
	static void stop() {
		fixture.close();
		second.close();
		recorder.close();
	}

	@Test
	void tokensOfASecondTrustedIssuerAreAccepted() {
		McpTestClient client = fixture.client(secondToken());
		client.initialize();
		assertThat(client.result("tools/list", "{}").toString()).contains("risk-assessment-mcp___analyze_portfolio_risk");
	}

	@Test
	@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
	void anIssuerThatRotatesItsKeyIsFollowed() throws Exception {
		McpTestClient before = fixture.client(secondToken());
		before.initialize();
		RSAKey rotated = new RSAKeyGenerator(2048).keyID("rotated-key-2").generate();
		int port = second.port();
		String issuer = second.issuer();
		second.close();
		second = DemoIdentityProvider.builder()
			.port(port)
			.issuer(issuer)
			.signingKey(rotated)
			.scopes(IdentityFixture.SCOPE)
			.start();
		// The gateway holds the old key set: a token signed with the new key id makes it fetch the JWKS again.
		McpTestClient after = fixture.client(secondToken());
		assertThat(after.initialize().get("protocolVersion").asString()).isEqualTo("2025-11-25");
		assertThat(after.result("tools/list", "{}").toString()).contains("risk-assessment-mcp___analyze_portfolio_risk");
	}

	static String secondToken() {
		return HeadlessLogin.builder(second.issuer())
			.scope("openid roles " + IdentityFixture.SCOPE)
			.resource(fixture.resource())
			.build()
			.login("alice", "password")
			.accessToken();
	}

	@Test
	void changingThePolicyFileAppliesWithoutRestart() throws Exception {
		McpTestClient bob = fixture.client(fixture.token("bob"));
		bob.initialize();
		assertThat(bob.result("tools/list", "{}").toString()).doesNotContain("analyze_portfolio_risk");
		String original = Files.readString(fixture.policyFile());
		try {
			Files.writeString(fixture.policyFile(), original.replace("tools: [\"get_*\"]", "tools: [\"*\"]"));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> bob.result("tools/list", "{}").toString().contains("analyze_portfolio_risk"));
		}
		finally {
			Files.writeString(fixture.policyFile(), original);
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !bob.result("tools/list", "{}").toString().contains("analyze_portfolio_risk"));
	}

	@Test
	void theAgentsTokenIsNeverForwardedToATarget() {
		String carol = fixture.token("carol");
		fixture.gateway()
			.admin()
			.withBearer(carol)
			.register("{\"name\":\"recorder\",\"endpoint\":\"" + recorder.url() + "\"}");
		McpTestClient alice = fixture.client(fixture.token("alice"));
		alice.initialize();
		assertThat(alice.request("tools/call", "{\"name\":\"recorder___x\",\"arguments\":{}}").error())
			.as("no rule gives alice's role the new target").isNotNull();
		McpTestClient client = fixture.client(carol);
		client.initialize();
		JsonNode result = client.result("tools/call", "{\"name\":\"recorder___x\",\"arguments\":{}}");
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("recorded");
		List<Map<String, List<String>>> seen = recorder.headers();
		assertThat(seen).isNotEmpty();
		for (Map<String, List<String>> headers : seen) {
			assertThat(headers.toString()).doesNotContain(carol);
			assertThat(headers.keySet().stream().map((h) -> h.toLowerCase(java.util.Locale.ROOT)))
				.doesNotContain("authorization", "cookie");
		}
	}

}
