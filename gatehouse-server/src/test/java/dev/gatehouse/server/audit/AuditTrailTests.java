package dev.gatehouse.server.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.core.audit.ArgumentsDigest;
import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.server.credentials.Grants;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit trail after real tool calls and a real OAuth consent, on PostgreSQL: every call and security event is
 * there with the right user, searchable; nothing secret is in it; the export verifies offline; and an edit, a
 * deletion or a changed search column made directly in the database is found by {@code /admin/api/audit/verify}.
 */
class AuditTrailTests {

	static final String POLICY = """
			mode: enforce
			roleMappings: [{claim: roles, value: "*"}]
			rules:
			  - {id: everyone, effect: allow, roles: ["*"], targets: ["*"]}
			  - {id: no-analysis-for-bob, effect: deny, roles: [finance-analyst], targets: [risk-assessment-mcp], tools: [analyze_portfolio_risk]}
			""";

	static OAuthFixture fixture;

	static AdminClient admin;

	static String aliceToken;

	static String bobToken;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder()
			.policy(POLICY)
			.upstreamTokenTtl(Duration.ofMinutes(5))
			.gateway((b) -> b.postgres(Postgres.newDatabase())
				.property("gatehouse.audit.arguments.targets", OAuthFixture.TARGET))
			.start();
		admin = fixture.gateway().admin().withBearer(fixture.token("carol"));
		fixture.connectFirst("alice");
		aliceToken = fixture.token("alice");
		bobToken = fixture.token("bob");
		McpTestClient alice = fixture.gateway().client().bearer(aliceToken);
		alice.initialize("2025-11-25", "{}");
		McpTestClient bob = fixture.gateway().client().bearer(bobToken);
		bob.initialize("2025-11-25", "{}");
		alice.result("tools/call", "{\"name\":\"risk-assessment-mcp___get_credit_rating\",\"arguments\":{\"company\":"
				+ "\"Acme Corporation\",\"password\":\"hunter2-do-not-keep\"}}");
		alice.result("tools/call", OAuthFixture.ANALYZE);
		bob.request("tools/call", OAuthFixture.ANALYZE);
		bob.result("tools/call", OAuthFixture.RATING);
		alice.request("tools/call", "{\"name\":\"no-such___tool\",\"arguments\":{}}");
		fixture.clock().advance(Duration.ofMinutes(20));
		alice.result("tools/call", OAuthFixture.RATING);
		fixture.gateway().client().bearer(aliceToken + "x").request("tools/list", "{}");
		await().atMost(Duration.ofSeconds(10)).until(() -> count("type = 'tool_call'") >= 6);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void everyToolCallIsRecordedWithItsCallerDecisionAndOutcome() {
		JsonNode alices = admin.get("/admin/api/audit?type=tool_call&subject=alice").json().get("records");
		JsonNode bobs = admin.get("/admin/api/audit?type=tool_call&subject=bob").json().get("records");

		assertThat(outcomes(alices)).contains("success", "unknown_tool", "authorization_required");
		assertThat(bobs.size()).isGreaterThanOrEqualTo(2);
		JsonNode denied = find(bobs, "tool", "risk-assessment-mcp___analyze_portfolio_risk");
		assertThat(denied.get("outcome").asString()).isEqualTo("denied");
		assertThat(denied.get("decision").asString()).isEqualTo("deny");
		assertThat(denied.get("rule").asString()).isEqualTo("no-analysis-for-bob");
		assertThat(denied.get("issuer").asString()).isEqualTo(fixture.idp().issuer());
		JsonNode bobsConsent = find(bobs, "tool", "risk-assessment-mcp___get_credit_rating");
		assertThat(bobsConsent.get("outcome").asString()).as("bob has no grant of his own")
			.isEqualTo("authorization_required");
		JsonNode analysis = find(alices, "tool", "risk-assessment-mcp___analyze_portfolio_risk");
		assertThat(analysis.get("outcome").asString()).isEqualTo("success");
		assertThat(analysis.get("target").asString()).isEqualTo(OAuthFixture.TARGET);
		assertThat(analysis.get("upstream_tool").asString()).isEqualTo("analyze_portfolio_risk");
		assertThat(analysis.get("client_id")).isNotNull();
		assertThat(analysis.get("session")).isNotNull();
		assertThat(analysis.get("arguments_digest").asString()).startsWith("sha256:");
		assertThat(analysis.get("latency_us").asLong()).isPositive();
		assertThat(analysis.get("hash").asString()).hasSize(64);
	}

	@Test
	void argumentsAreKeptOnlyForTargetsThatOptInAndRedacted() {
		JsonNode rating = admin.get("/admin/api/audit?type=tool_call&subject=alice&tool="
				+ "risk-assessment-mcp___get_credit_rating").json().get("records");
		JsonNode withPassword = null;
		for (JsonNode r : rating) {
			if (r.has("arguments") && r.get("arguments").asString().contains("password")) {
				withPassword = r;
			}
		}
		assertThat(withPassword).as("the opted-in target's arguments are kept").isNotNull();
		assertThat(withPassword.get("arguments").asString()).contains("Acme Corporation")
			.contains("\"password\":\"[REDACTED]\"")
			.doesNotContain("hunter2");
		JsonNode unknown = admin.get("/admin/api/audit?type=tool_call&outcome=unknown_tool").json().get("records");
		assertThat(unknown.get(0).has("arguments")).as("no target, no arguments").isFalse();
	}

	@Test
	void securityEventsOfTheConsentFlowAreRecordedWithTheUser() {
		List<String> types = new ArrayList<>();
		admin.get("/admin/api/audit?subject=alice&limit=1000").json().get("records")
			.forEach((r) -> types.add(r.get("type").asString()));

		assertThat(types).contains("consent_requested", "consent_started", "consent_completed", "login", "tool_call",
				"grant_refreshed");
		assertThat(count("type = 'authentication_failed'")).as("the forged token was recorded, not its value")
			.isGreaterThanOrEqualTo(1);
		assertThat(admin.get("/admin/api/audit?type=consent_completed&subject=alice").json().get("records").get(0)
			.get("target").asString()).isEqualTo(OAuthFixture.TARGET);
	}

	@Test
	void adminActionsAndRevocationsAreRecordedWithTheAdmin() {
		fixture.connectFirst("bob");
		String id = fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "bob").get(0).id();
		assertThat(admin.delete("/admin/api/grants/" + id).status()).isEqualTo(200);
		assertThat(admin.delete("/admin/api/grants").status()).isEqualTo(400);

		await().atMost(Duration.ofSeconds(5)).until(() -> count("type = 'admin_action'") >= 2);
		JsonNode actions = admin.get("/admin/api/audit?type=admin_action&subject=carol").json().get("records");
		assertThat(actions.toString()).contains("/admin/api/grants/" + id).contains("\"status\":400")
			.contains("\"outcome\":\"refused\"");
		JsonNode revoked = admin.get("/admin/api/audit?type=grant_revoked").json().get("records").get(0);
		assertThat(revoked.get("subject").asString()).isEqualTo("bob");
	}

	@Test
	void noTokenSecretOrCodeIsInAnyRecord() {
		List<String> secrets = new ArrayList<>(List.of(aliceToken, bobToken, OAuthFixture.CLIENT_SECRET,
				"hunter2-do-not-keep"));
		String all = String.join("\n", jdbc().sql("select record from audit_record").query(String.class).list());
		assertThat(all).isNotEmpty();
		for (String secret : secrets) {
			assertThat(all).doesNotContain(secret);
			String[] parts = secret.split("\\.");
			if (parts.length == 3) {
				assertThat(all).doesNotContain(parts[2]);
			}
		}
		List<String> upstreamHashes = fixture.risk().observedTokens().stream()
			.filter((t) -> t.rejection() == null)
			.map((t) -> t.tokenSha256())
			.filter((h) -> h != null && h.length() == 64)
			.toList();
		assertThat(upstreamHashes).isNotEmpty();
		for (String hash : upstreamHashes) {
			assertThat(all).as("no digest of an upstream token either").doesNotContain(hash);
		}
	}

	@Test
	void searchIsPaginatedNewestFirstAndRefusesBadParameters() {
		JsonNode first = admin.get("/admin/api/audit?limit=2").json();
		assertThat(first.get("records")).hasSize(2);
		long newest = first.get("records").get(0).get("seq").asLong();
		assertThat(first.get("records").get(1).get("seq").asLong()).isLessThan(newest);
		JsonNode second = admin.get(first.get("next").asString()).json();
		assertThat(second.get("records").get(0).get("seq").asLong())
			.isLessThan(first.get("records").get(1).get("seq").asLong());

		AdminClient.Response badTime = admin.get("/admin/api/audit?from=yesterday");
		assertThat(badTime.status()).isEqualTo(400);
		assertThat(badTime.body()).contains("from").contains("yesterday");
		assertThat(admin.get("/admin/api/audit?limit=0").body()).contains("limit");
		assertThat(fixture.gateway().admin().get("/admin/api/audit").status()).as("admins only").isEqualTo(401);
		assertThat(fixture.gateway().admin().withBearer(aliceToken).get("/admin/api/audit").status()).isEqualTo(403);
	}

	@Test
	void theExportRoundTripsAndVerifiesOffline() {
		AdminClient.Response export = admin.get("/admin/api/audit/export");
		assertThat(export.status()).isEqualTo(200);
		assertThat(export.contentType()).startsWith("application/x-ndjson");
		List<AuditChain.Link> links = new ArrayList<>();
		for (String line : export.body().split("\n")) {
			JsonNode node = McpTestClient.JSON.readTree(line);
			String record = ArgumentsDigest.canonical(node.get("record"));
			links.add(new AuditChain.Link(node.get("record").get("seq").asLong(), record,
					node.get("prev_hash").asString(), node.get("hash").asString()));
		}

		assertThat(links).hasSize((int) count("1 = 1"));
		assertThat(AuditChain.verify(AuditChain.GENESIS, links)).as("the exported chain verifies on its own").isEmpty();
		JsonNode newest = admin.get("/admin/api/audit?limit=1").json().get("records").get(0);
		AuditChain.Link last = links.stream().filter((l) -> l.seq() == newest.get("seq").asLong()).findFirst()
			.orElseThrow();
		assertThat(last.hash()).isEqualTo(newest.get("hash").asString());
		String filtered = admin.get("/admin/api/audit/export?subject=bob&type=tool_call").body();
		assertThat(filtered.split("\n")).hasSize(
				admin.get("/admin/api/audit?subject=bob&type=tool_call").json().get("records").size());
	}

	@Test
	void verifyFindsARecordEditedDeletedOrReLabelledInTheDatabase() {
		assertThat(verify().get("ok").asBoolean()).as(verify().toString()).isTrue();
		long deniedSeq = jdbc().sql("select seq from audit_record where outcome = 'denied' order by seq limit 1")
			.query(Long.class).single();
		String original = jdbc().sql("select record from audit_record where seq = ?").param(deniedSeq)
			.query(String.class).single();
		try {
			jdbc().sql("update audit_record set record = ? where seq = ?")
				.params(original.replace("\"outcome\":\"denied\"", "\"outcome\":\"success\""), deniedSeq)
				.update();
			JsonNode edited = verify();
			assertThat(edited.get("ok").asBoolean()).isFalse();
			assertThat(edited.get("problems").toString()).contains("\"seq\":" + deniedSeq).contains("edited");
		}
		finally {
			jdbc().sql("update audit_record set record = ? where seq = ?").params(original, deniedSeq).update();
		}
		assertThat(verify().get("ok").asBoolean()).isTrue();

		jdbc().sql("update audit_record set subject = 'mallory' where seq = ?").param(deniedSeq).update();
		try {
			assertThat(verify().get("problems").toString()).contains("subject column differs");
		}
		finally {
			jdbc().sql("update audit_record set subject = 'bob' where seq = ?").param(deniedSeq).update();
		}

		List<java.util.Map<String, Object>> row = jdbc().sql("select * from audit_record where seq = ?")
			.param(deniedSeq)
			.query()
			.listOfRows();
		jdbc().sql("delete from audit_record where seq = ?").param(deniedSeq).update();
		try {
			JsonNode deleted = verify();
			assertThat(deleted.get("ok").asBoolean()).isFalse();
			assertThat(deleted.get("problems").toString()).contains("missing");
		}
		finally {
			java.util.Map<String, Object> r = row.get(0);
			jdbc().sql("insert into audit_record (seq, rec_day, at, type, issuer, subject, client_id, target, tool, "
					+ "outcome, record, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(r.get("seq"), r.get("rec_day"), r.get("at"), r.get("type"), r.get("issuer"), r.get("subject"),
						r.get("client_id"), r.get("target"), r.get("tool"), r.get("outcome"), r.get("record"),
						r.get("prev_hash"), r.get("hash"))
				.update();
		}
		assertThat(verify().get("ok").asBoolean()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> count("type = 'audit_chain_broken'") >= 3);
	}

	private static JsonNode verify() {
		AdminClient.Response response = admin.get("/admin/api/audit/verify");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.json();
	}

	private static List<String> outcomes(JsonNode records) {
		List<String> outcomes = new ArrayList<>();
		records.forEach((r) -> outcomes.add(r.get("outcome").asString()));
		return outcomes;
	}

	private static JsonNode find(JsonNode records, String field, String value) {
		for (JsonNode r : records) {
			if (value.equals(r.path(field).asString(null))) {
				return r;
			}
		}
		throw new AssertionError("no record with " + field + "=" + value + " in " + records);
	}

	private static long count(String where) {
		return jdbc().sql("select count(*) from audit_record where " + where).query(Long.class).single();
	}

	private static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}
}
