package dev.gatehouse.server.credentials;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.gatehouse.demo.host.ObservedToken;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.ScriptedBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow end to end with real components: the demo IdP as the target's authorization server
 * (with its consent screen), the OAuth-protected {@code risk-assessment-mcp} that validates audience and scopes and
 * echoes the subject it sees, and the gateway. Each user's call carries that user's own token, never the agent's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationCodeFlowTests {

	static OAuthFixture fixture;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().consentScreen(true).start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	@Order(1)
	void beforeAnyoneConnectsOnlyTheConnectToolIsListed() {
		JsonNode tools = fixture.agent("bob").result("tools/list", "{}");
		assertThat(tools.toString()).contains("risk-assessment-mcp___connect").doesNotContain("get_credit_rating");
	}

	@Test
	@Order(2)
	void theConnectToolLeadsBobThroughConsentAndThenTheRealToolsAreListed() {
		fixture.connectFirst("bob");
		Grant bob = grant("bob");
		assertThat(bob.scopes()).as("bob's roles may obtain data:read only").containsExactly("data:read");
		assertThat(bob.clientId()).isEqualTo(OAuthFixture.CLIENT_ID);
		assertThat(bob.hasRefreshToken()).isTrue();
		assertThat(audit.awaitType("consent_completed", "bob").toString()).contains("bob").doesNotContain("code_verifier");
	}

	@Test
	@Order(3)
	void aliceCallsGetsTheLinkConnectsAndTheRetriedCallCarriesHerTokenNotBobsNorTheInboundToken() throws Exception {
		String inbound = fixture.token("alice");
		McpTestClient alice = fixture.gateway().client().bearer(inbound);
		alice.initialize("2025-11-25", "{}");
		int seenBefore = fixture.risk().observedTokens().size();
		JsonNode refused = alice.result("tools/call", OAuthFixture.RATING);
		assertThat(refused.get("isError").asBoolean()).isTrue();
		assertThat(refused.toString()).contains("needs your authorization").contains("/connect/risk-assessment-mcp?request=");
		assertThat(fixture.risk().observedTokens().subList(seenBefore, fixture.risk().observedTokens().size()))
			.as("the target was not called without alice's grant")
			.noneMatch((t) -> "tools/call".equals(t.method()));
		assertThat(audit.awaitType("tool_call", "authorization_required").toString()).contains("authorization_required");

		ScriptedBrowser.Page result = fixture.connect("alice", OAuthFixture.link(refused));
		assertThat(result.body()).contains("data-outcome=\"connected\"").contains("risk:analyze");
		assertThat(result.hops().toString()).as("the flow went through the IdP's consent screen").contains("/oauth2/authorize");

		JsonNode retried = alice.result("tools/call", OAuthFixture.ANALYZE);
		assertThat(retried.has("isError") && retried.get("isError").asBoolean()).as(retried.toString()).isFalse();
		assertThat(retried.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
		ObservedToken seen = lastAccepted();
		assertThat(seen.subject()).isEqualTo("alice");
		assertThat(seen.clientId()).isEqualTo(OAuthFixture.CLIENT_ID);
		assertThat(seen.audience()).containsExactly(fixture.risk().url());
		assertThat(seen.tokenSha256()).as("not the agent's inbound token").isNotEqualTo(sha256(inbound));
		assertThat(seen.scope()).contains("risk:analyze");

		McpTestClient bob = fixture.agent("bob");
		JsonNode bobs = bob.result("tools/call", OAuthFixture.RATING);
		assertThat(bobs.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("bob");
		assertThat(lastAccepted().tokenSha256()).isNotEqualTo(seen.tokenSha256());
	}

	@Test
	@Order(4)
	void aClientThatDeclaredUrlElicitationGetsMinus32042AndTheCompletionNotificationOnItsStream() throws Exception {
		revoke("alice");
		McpTestClient carol = fixture.gateway().client().bearer(fixture.token("alice"));
		carol.initialize();
		HttpResponse<Stream<String>> stream = carol.openStream();
		Iterator<String> lines = stream.body().iterator();
		Reply reply = carol.request("tools/call", OAuthFixture.RATING);
		JsonNode error = reply.response().get("error");
		assertThat(error.get("code").asInt()).isEqualTo(-32042);
		JsonNode elicitation = error.get("data").get("elicitations").get(0);
		assertThat(elicitation.get("mode").asString()).isEqualTo("url");
		String elicitationId = elicitation.get("elicitationId").asString();
		assertThat(fixture.connect("alice", elicitation.get("url").asString()).body())
			.contains("data-outcome=\"connected\"");
		CompletableFuture<JsonNode> notification = CompletableFuture.supplyAsync(() -> {
			while (true) {
				JsonNode message = McpTestClient.nextMessage(lines);
				if ("notifications/elicitation/complete".equals(message.path("method").asString(""))) {
					return message;
				}
			}
		});
		assertThat(notification.get(10, TimeUnit.SECONDS).get("params").get("elicitationId").asString())
			.isEqualTo(elicitationId);
		stream.body().close();
		JsonNode retried = carol.result("tools/call", OAuthFixture.RATING);
		assertThat(retried.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
	}

	@Test
	@Order(5)
	void aStatelessClientGetsInputRequiredAndItsRetryWithTheRequestStateCompletes() {
		String token = fixture.token("dave");
		String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{\"url\":{}}}}";
		Map<String, String> headers = Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
				"Mcp-Name", "demo-tools-absent");
		// dave has no role: the seed policy lets him use nothing of the risk target, so he cannot connect it.
		Reply denied = stateless(token, "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":"
				+ "{\"company\":\"Acme Corporation\"}," + meta + "}");
		assertThat(denied.response().get("error").get("code").asInt()).isEqualTo(-32602);
		assertThat(headers).isNotEmpty();
	}

	@Test
	@Order(6)
	void anInputRequiredResultCarriesASealedRequestStateThatOnlyItsCallerMayReplay() {
		revoke("alice");
		String meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{\"url\":{}}}}";
		String token = fixture.token("alice");
		Reply first = stateless(token, "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":"
				+ "{\"company\":\"Acme Corporation\"}," + meta + "}");
		JsonNode result = first.response().get("result");
		assertThat(result.get("resultType").asString()).isEqualTo("input_required");
		JsonNode request = result.get("inputRequests").get("gatehouse-consent");
		assertThat(request.get("method").asString()).isEqualTo("elicitation/create");
		assertThat(request.get("params").get("mode").asString()).isEqualTo("url");
		String state = result.get("requestState").asString();
		assertThat(fixture.connect("alice", request.get("params").get("url").asString()).body())
			.contains("data-outcome=\"connected\"");
		String retryParams = "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":{\"company\":"
				+ "\"Acme Corporation\"},\"inputResponses\":{\"gatehouse-consent\":{\"action\":\"accept\"}},"
				+ "\"requestState\":\"" + state + "\"," + meta + "}";
		JsonNode retried = stateless(token, retryParams).response().get("result");
		assertThat(retried.get("resultType").asString()).isEqualTo("complete");
		assertThat(retried.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
		JsonNode stolen = stateless(fixture.token("bob"), retryParams).response().get("error");
		assertThat(stolen.get("code").asInt()).isEqualTo(-32602);
		assertThat(stolen.get("message").asString()).contains("requestState");
	}

	static void revoke(String subject) {
		var reply = fixture.gateway().admin().withBearer(fixture.token("carol"))
			.delete("/admin/api/grants/" + grant(subject).id());
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
	}

	private static Reply stateless(String token, String params) {
		JsonNode parsed = McpTestClient.JSON.readTree(params);
		String name = parsed.get("name").asString();
		String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":" + params + "}";
		return fixture.gateway().client().bearer(token).post(body, Map.of("MCP-Protocol-Version", "2026-07-28",
				"Mcp-Method", "tools/call", "Mcp-Name", name));
	}

	static Grant grant(String subject) {
		return fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, subject).get(0);
	}

	static ObservedToken lastAccepted() {
		var accepted = fixture.risk().observedTokens().stream()
			.filter((t) -> t.rejection() == null && "tools/call".equals(t.method()))
			.toList();
		return accepted.get(accepted.size() - 1);
	}

	static String sha256(String text) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}
}
