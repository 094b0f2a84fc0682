package dev.gatehouse.server.monitor.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /admin/api/alerts} with real users of the demo IdP: carol (admin) lists alerts filtered by status,
 * severity and rule, page by page, acknowledges and resolves them; a second acknowledgement or resolution is 409,
 * an unknown alert 404, a bad filter 400, each as problem details; alice (no admin role) gets 403 and no token
 * 401 (a POST without a token 403, from the CSRF check). Alerts come from drift records written through the real audit trail.
 */
class AlertsAdminTests {

	static final HttpClient HTTP = HttpClient.newHttpClient();

	static IdentityFixture fixture;

	static String carol;

	@BeforeAll
	static void start() {
		fixture = IdentityFixture.start();
		carol = fixture.token("carol");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void listFiltersPagesAcknowledgesAndResolves() throws Exception {
		String a = "t-" + UUID.randomUUID().toString().substring(0, 8);
		String b = "t-" + UUID.randomUUID().toString().substring(0, 8);
		drift(a);
		drift(b);
		chainBroken();
		settle();
		JsonNode all = get(carol, "/admin/api/alerts?status=open&rule=catalog-drift");
		List<String> scopes = scopes(all);
		assertThat(scopes).contains("target:" + a, "target:" + b);
		JsonNode critical = get(carol, "/admin/api/alerts?severity=critical");
		assertThat(critical.get("alerts")).isNotEmpty();
		critical.get("alerts").forEach((x) -> assertThat(x.get("rule").asString()).isEqualTo("audit-chain"));
		JsonNode page0 = get(carol, "/admin/api/alerts?rule=catalog-drift&size=1&page=0");
		JsonNode page1 = get(carol, "/admin/api/alerts?rule=catalog-drift&size=1&page=1");
		assertThat(page0.get("alerts")).hasSize(1);
		assertThat(page1.get("alerts")).hasSize(1);
		assertThat(page0.get("total").asLong()).isGreaterThanOrEqualTo(2);
		assertThat(page0.get("alerts").get(0).get("id").asLong()).isGreaterThan(page1.get("alerts").get(0).get("id")
			.asLong());

		long id = alertOf(a).get("id").asLong();
		HttpResponse<String> ack = post(carol, "/admin/api/alerts/" + id + "/acknowledge");
		assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
		JsonNode acked = McpTestClient.JSON.readTree(ack.body());
		assertThat(acked.get("status").asString()).isEqualTo("acknowledged");
		assertThat(acked.get("acknowledgedBy").asString()).endsWith("|carol");
		assertThat(scopes(get(carol, "/admin/api/alerts?status=acknowledged"))).contains("target:" + a);
		assertThat(scopes(get(carol, "/admin/api/alerts?status=open"))).doesNotContain("target:" + a);

		drift(a);
		settle();
		JsonNode again = alertOf(a);
		assertThat(again.get("id").asLong()).as("an acknowledged alert still deduplicates").isEqualTo(id);
		assertThat(again.get("count").asInt()).isEqualTo(2);

		HttpResponse<String> twice = post(carol, "/admin/api/alerts/" + id + "/acknowledge");
		assertProblem(twice, 409, "conflict");
		assertThat(twice.body()).contains("is acknowledged");

		HttpResponse<String> resolved = post(carol, "/admin/api/alerts/" + id + "/resolve");
		assertThat(resolved.statusCode()).isEqualTo(200);
		assertThat(McpTestClient.JSON.readTree(resolved.body()).get("status").asString()).isEqualTo("resolved");
		assertThat(McpTestClient.JSON.readTree(resolved.body()).get("resolvedBy").asString()).endsWith("|carol");
		assertProblem(post(carol, "/admin/api/alerts/" + id + "/resolve"), 409, "conflict");
		assertProblem(post(carol, "/admin/api/alerts/" + id + "/acknowledge"), 409, "conflict");

		drift(a);
		settle();
		JsonNode reopened = alertOf(a);
		assertThat(reopened.get("id").asLong()).as("after resolution, a new alert").isNotEqualTo(id);
		assertThat(reopened.get("status").asString()).isEqualTo("open");
		assertThat(reopened.get("count").asInt()).isEqualTo(1);
	}

	@Test
	void unknownAlertsAre404AndBadFilters400() throws Exception {
		assertProblem(post(carol, "/admin/api/alerts/999999/acknowledge"), 404, "alert-not-found");
		assertProblem(post(carol, "/admin/api/alerts/999999/resolve"), 404, "alert-not-found");
		assertProblem(post(carol, "/admin/api/alerts/abc/resolve"), 404, "alert-not-found");
		HttpResponse<String> one = send(carol, HttpRequest.newBuilder(uri("/admin/api/alerts/999999")).GET());
		assertProblem(one, 404, "alert-not-found");
		HttpResponse<String> bad = send(carol, HttpRequest.newBuilder(uri("/admin/api/alerts?status=closed")).GET());
		assertProblem(bad, 400, "invalid-request");
		assertThat(bad.body()).contains("\"field\":\"status\"");
		HttpResponse<String> rule = send(carol, HttpRequest.newBuilder(uri("/admin/api/alerts?rule=no-such-rule")).GET());
		assertProblem(rule, 400, "invalid-request");
		assertThat(rule.body()).contains("\"field\":\"rule\"").contains("policy-denials");
		HttpResponse<String> severity = send(carol, HttpRequest.newBuilder(uri("/admin/api/alerts?severity=urgent"))
			.GET());
		assertProblem(severity, 400, "invalid-request");
		assertThat(severity.body()).contains("\"field\":\"severity\"");
		HttpResponse<String> size = send(carol, HttpRequest.newBuilder(uri("/admin/api/alerts?size=0")).GET());
		assertProblem(size, 400, "invalid-request");
		assertThat(size.body()).contains("\"field\":\"size\"");
	}

	@Test
	void withoutTheAdminRoleIs403AndWithoutATokenIs401() throws Exception {
		drift("t-" + UUID.randomUUID().toString().substring(0, 8));
		settle();
		long id = get(carol, "/admin/api/alerts").get("alerts").get(0).get("id").asLong();
		String alice = fixture.token("alice");
		assertThat(send(alice, HttpRequest.newBuilder(uri("/admin/api/alerts")).GET()).statusCode()).isEqualTo(403);
		assertThat(post(alice, "/admin/api/alerts/" + id + "/acknowledge").statusCode()).isEqualTo(403);
		assertThat(post(alice, "/admin/api/alerts/" + id + "/resolve").statusCode()).isEqualTo(403);
		HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(uri("/admin/api/alerts")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).isEqualTo(401);
		HttpResponse<String> anonymousAck = HTTP.send(HttpRequest.newBuilder(uri("/admin/api/alerts/" + id
				+ "/acknowledge")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymousAck.statusCode()).as("refused: without a token, the CSRF check of browser sessions comes first")
			.isEqualTo(403);
		JsonNode unchanged = get(carol, "/admin/api/alerts/" + id);
		assertThat(unchanged.get("status").asString()).isEqualTo("open");
	}

	static void drift(String target) {
		fixture.gateway().bean(AuditTrail.class).event("catalog_drift", Map.of("target", target, "kind", "tool", "name",
				"lookup", "change", "changed", "old_hash", "a".repeat(64), "new_hash", "b".repeat(64)));
	}

	static void chainBroken() {
		fixture.gateway().bean(AuditTrail.class).event("audit_chain_broken", Map.of("problems", 1, "first_seq", 1));
	}

	static void settle() {
		String id = UUID.randomUUID().toString();
		fixture.gateway().bean(AuditTrail.class).event("alerts_test_barrier", Map.of("barrier", id));
		AlertEngine engine = fixture.gateway().bean(AlertEngine.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastEvaluated() != null
				&& id.equals(engine.lastEvaluated().text("barrier")));
	}

	static JsonNode alertOf(String target) throws Exception {
		for (JsonNode alert : get(carol, "/admin/api/alerts?rule=catalog-drift&size=500").get("alerts")) {
			if (alert.get("scope").asString().equals("target:" + target)) {
				return alert;
			}
		}
		throw new AssertionError("no alert for " + target);
	}

	static List<String> scopes(JsonNode page) {
		List<String> scopes = new ArrayList<>();
		page.get("alerts").forEach((a) -> scopes.add(a.get("scope").asString()));
		return scopes;
	}

	static void assertProblem(HttpResponse<String> response, int status, String type) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(response.body()).contains("\"type\":\"https://gatehouse.dev/problems/" + type + "\"");
	}

	static JsonNode get(String token, String path) throws Exception {
		HttpResponse<String> response = send(token, HttpRequest.newBuilder(uri(path)).GET());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return McpTestClient.JSON.readTree(response.body());
	}

	static HttpResponse<String> post(String token, String path) throws Exception {
		return send(token, HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	static HttpResponse<String> send(String token, HttpRequest.Builder builder) throws Exception {
		return HTTP.send(builder.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
	}

	static URI uri(String path) {
		return URI.create(fixture.gateway().baseUrl() + path);
	}
}
