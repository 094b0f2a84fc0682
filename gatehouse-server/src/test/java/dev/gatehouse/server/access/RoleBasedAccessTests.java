package dev.gatehouse.server.access;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed article's example with real users of the demo IdP: bob, a {@code finance-analyst}, sees and may call
 * only the read tools of {@code risk-assessment-mcp}; alice, a {@code risk-analyst}, may call the analysis tool;
 * the explain endpoint says why; log-only mode lets the call through and records the would-be denial; the admin
 * API needs the admin role.
 */
class RoleBasedAccessTests {

	static IdentityFixture fixture;

	static AuditCapture audit;

	static final HttpClient HTTP = HttpClient.newHttpClient();

	static final String ANALYZE = "{\"name\":\"risk-assessment-mcp___analyze_portfolio_risk\",\"arguments\":{\"holdings\":"
			+ "[{\"symbol\":\"AAPL\",\"weight\":0.6},{\"symbol\":\"MSFT\",\"weight\":0.4}]}}";

	static final String RATING = "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":{\"company\":"
			+ "\"Acme Corporation\"}}";

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

	@Test
	void financeAnalystSeesAndCallsOnlyTheReadToolsOfTheRiskTarget() {
		McpTestClient bob = fixture.client(fixture.token("bob"));
		bob.initialize();
		List<String> tools = names(bob.result("tools/list", "{}").get("tools"));
		assertThat(tools).contains("risk-assessment-mcp___get_credit_rating", "demo-tools___echo")
			.doesNotContain("risk-assessment-mcp___analyze_portfolio_risk");
		assertThat(bob.result("tools/call", RATING).get("content").get(0).get("text").asString()).contains("AA");
		audit.clear();
		JsonNode denied = bob.request("tools/call", ANALYZE).error();
		assertThat(denied.get("code").asInt()).isEqualTo(-32602);
		assertThat(denied.get("message").asString())
			.isEqualTo("Unknown tool: risk-assessment-mcp___analyze_portfolio_risk");
		JsonNode unknown = bob.request("tools/call", "{\"name\":\"risk-assessment-mcp___no_such_tool\"}").error();
		assertThat(unknown.get("code").asInt()).isEqualTo(denied.get("code").asInt());
		JsonNode record = await().atMost(Duration.ofSeconds(5))
			.until(() -> audit.ofType("tool_call")
				.stream()
				.filter((r) -> r.get("tool").asString().equals("risk-assessment-mcp___analyze_portfolio_risk"))
				.findFirst(), java.util.Optional::isPresent)
			.get();
		assertThat(record.get("subject").asString()).isEqualTo("bob");
		assertThat(record.get("outcome").asString()).isEqualTo("denied");
		assertThat(record.get("decision").asString()).isEqualTo("deny");
		assertThat(record.get("rule").asString()).isEqualTo("default");
		assertThat(record.get("reason").asString()).contains("finance-analyst").contains("analyze_portfolio_risk");
	}

	@Test
	void riskAnalystMayCallTheAnalysisTool() {
		McpTestClient alice = fixture.client(fixture.token("alice"));
		alice.initialize();
		assertThat(names(alice.result("tools/list", "{}").get("tools")))
			.contains("risk-assessment-mcp___analyze_portfolio_risk", "risk-assessment-mcp___get_credit_rating");
		JsonNode result = alice.result("tools/call", ANALYZE);
		assertThat(result.get("structuredContent")).isNotNull();
	}

	@Test
	void aUserWithNoRoleSeesOnlyWhatEveryoneMayUse() {
		McpTestClient dave = fixture.client(fixture.token("dave"));
		dave.initialize();
		assertThat(names(dave.result("tools/list", "{}").get("tools"))).allMatch((n) -> n.startsWith("demo-tools___"));
	}

	@Test
	void explainSaysWhyBobIsDeniedAndAliceAllowed() throws Exception {
		fixture.client(fixture.token("bob")).initialize();
		fixture.client(fixture.token("alice")).initialize();
		String carol = fixture.token("carol");
		JsonNode bob = await().atMost(Duration.ofSeconds(5))
			.until(() -> explain(carol, "subject=bob&tool=risk-assessment-mcp___analyze_portfolio_risk"),
					(r) -> r.has("allowed"));
		assertThat(bob.get("allowed").asBoolean()).isFalse();
		assertThat(bob.get("rule").asString()).isEqualTo("default");
		assertThat(bob.get("roles").toString()).contains("finance-analyst");
		assertThat(bob.get("reason").asString()).contains("no rule allows");
		assertThat(bob.get("upstreamScopes").get("granted").toString()).isEqualTo("[\"data:read\"]");
		JsonNode alice = explain(carol, "subject=alice&tool=risk-assessment-mcp___analyze_portfolio_risk");
		assertThat(alice.get("allowed").asBoolean()).isTrue();
		assertThat(alice.get("rule").asString()).isEqualTo("risk-analysts");
		assertThat(alice.get("upstreamScopes").get("granted").toString()).contains("risk:analyze", "data:read");
		JsonNode read = explain(carol, "roles=finance-analyst&tool=risk-assessment-mcp___get_credit_rating");
		assertThat(read.get("rule").asString()).isEqualTo("finance-read-only");
		HttpResponse<String> nobody = get(carol, "/admin/api/policy/explain?subject=nobody&tool=demo-tools___echo");
		assertThat(nobody.statusCode()).isEqualTo(400);
		assertThat(nobody.body()).contains("\"field\":\"subject\"");
	}

	@Test
	void logOnlyModeLetsTheCallThroughAndRecordsTheWouldBeDenial() throws Exception {
		String carol = fixture.token("carol");
		String original = Files.readString(fixture.policyFile());
		String document = McpTestClient.JSON.writeValueAsString(new tools.jackson.dataformat.yaml.YAMLMapper()
			.readTree(original.replace("mode: enforce", "mode: log-only")));
		HttpResponse<String> saved = put(carol, "/admin/api/policy", document);
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
		assertThat(saved.headers().firstValue("Gatehouse-Policy-Source")).hasValue("api");
		try {
			McpTestClient bob = fixture.client(fixture.token("bob"));
			bob.initialize();
			audit.clear();
			JsonNode result = bob.result("tools/call", ANALYZE);
			assertThat(result.get("structuredContent")).isNotNull();
			JsonNode record = await().atMost(Duration.ofSeconds(5))
				.until(() -> audit.ofType("tool_call")
					.stream()
					.filter((r) -> r.get("subject").asString().equals("bob")
							&& r.get("tool").asString().endsWith("analyze_portfolio_risk"))
					.findFirst(), java.util.Optional::isPresent)
				.get();
			assertThat(record.get("decision").asString()).isEqualTo("would_deny");
			assertThat(record.get("outcome").asString()).isEqualTo("success");
			assertThat(record.get("reason").asString()).startsWith("log-only mode, would be denied");
		}
		finally {
			String enforce = McpTestClient.JSON.writeValueAsString(new tools.jackson.dataformat.yaml.YAMLMapper()
				.readTree(original));
			assertThat(put(carol, "/admin/api/policy", enforce).statusCode()).isEqualTo(200);
		}
		McpTestClient bob = fixture.client(fixture.token("bob"));
		bob.initialize();
		assertThat(bob.request("tools/call", ANALYZE).error()).isNotNull();
	}

	@Test
	void anInvalidPolicyIsRefusedNamingTheFieldsAndNothingChanges() throws Exception {
		String carol = fixture.token("carol");
		String before = get(carol, "/admin/api/policy").body();
		HttpResponse<String> refused = put(carol, "/admin/api/policy",
				"{\"mode\":\"strict\",\"rules\":[{\"id\":\"x\",\"effect\":\"maybe\",\"roles\":[\"a\"],\"targets\":[\"t\"]}]}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				(c) -> assertThat(c).startsWith("application/problem+json"));
		assertThat(refused.body()).contains("\"field\":\"mode\"").contains("\"field\":\"rules[0].effect\"");
		assertThat(get(carol, "/admin/api/policy").body()).isEqualTo(before);
	}

	@Test
	void adminApiWithoutTheAdminRoleIs403AndWithoutATokenIs401() throws Exception {
		HttpResponse<String> alice = get(fixture.token("alice"), "/admin/api/targets");
		assertThat(alice.statusCode()).isEqualTo(403);
		assertThat(alice.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl()
				+ "/admin/api/targets")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
		HttpResponse<String> forged = get(fixture.craft((c) -> c.claim("roles", List.of("admin"))
			.issuer("https://evil.example.com")), "/admin/api/targets");
		assertThat(forged.statusCode()).isEqualTo(401);
		HttpResponse<String> carol = get(fixture.token("carol"), "/admin/api/targets");
		assertThat(carol.statusCode()).isEqualTo(200);
		assertThat(carol.body()).contains("risk-assessment-mcp").doesNotContain("risk-key\"");
		HttpResponse<String> mutate = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl()
				+ "/admin/api/targets/demo-tools")).header("Authorization", "Bearer " + fixture.token("bob")).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(mutate.statusCode()).isEqualTo(403);
		assertThat(get(fixture.token("carol"), "/admin/api/targets/demo-tools").statusCode()).isEqualTo(200);
	}

	static JsonNode explain(String token, String query) throws Exception {
		return McpTestClient.JSON.readTree(get(token, "/admin/api/policy/explain?" + query).body());
	}

	static HttpResponse<String> get(String token, String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> put(String token, String path, String json) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static List<String> names(JsonNode tools) {
		List<String> names = new ArrayList<>();
		tools.forEach((t) -> names.add(t.get("name").asString()));
		return names;
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
