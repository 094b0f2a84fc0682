package dev.gatehouse.server.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.credentials.Grants;
import dev.gatehouse.server.credentials.vault.Vault;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.ScriptedBrowser;
import dev.gatehouse.server.testing.ScriptedBrowser.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests that the security chains refuse before any handler runs: a non-admin's changes through the admin API,
 * an admin API request with no credential, a non-admin's dashboard form, and an admin's form posted without its
 * CSRF token. Each is refused, changes nothing, and leaves an {@code access_denied} record saying who, what and
 * why.
 */
class RefusalAuditTests {

	static OAuthFixture fixture;

	static String bob;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().start();
		fixture.connectFirst("alice");
		bob = fixture.token("bob");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aNonAdminsAdminApiChangesAreRefusedChangeNothingAndAreRecordedWithWhoWhatAndWhy() {
		AdminClient asBob = fixture.gateway().admin().withBearer(bob);
		String grant = fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "alice").get(0).id();
		long policyVersion = policyVersions();
		long targets = count("target", "1 = 1");
		int key = fixture.gateway().bean(Vault.class).activeKeyId();

		assertThat(asBob.put("/admin/api/policy", "{\"mode\":\"enforce\",\"rules\":[]}").status()).isEqualTo(403);
		assertThat(asBob.post("/admin/api/targets", "{\"name\":\"evil\",\"endpoint\":\"http://127.0.0.1:1/mcp\","
				+ "\"auth\":{\"type\":\"none\"}}").status()).isEqualTo(403);
		assertThat(asBob.delete("/admin/api/grants/" + grant).status()).isEqualTo(403);
		assertThat(asBob.post("/admin/api/vault/rotate-key", "").status()).isEqualTo(403);

		assertThat(policyVersions()).as("no policy saved").isEqualTo(policyVersion);
		assertThat(count("target", "1 = 1")).as("no target registered").isEqualTo(targets);
		assertThat(fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "alice")).hasSize(1);
		assertThat(fixture.gateway().bean(Vault.class).activeKeyId()).as("no rotation").isEqualTo(key);
		List<Map<String, Object>> refusals = awaitRefusals("subject = 'bob'", 4);
		assertThat(refusals).extracting((r) -> r.get("record").toString())
			.allSatisfy((r) -> assertThat(r).contains("\"status\":403")
				.contains("\"issuer\":\"" + fixture.idp().issuer() + "\"")
				.contains("the admin API needs the admin role"))
			.anySatisfy((r) -> assertThat(r).contains("\"method\":\"PUT\"").contains("/admin/api/policy"))
			.anySatisfy((r) -> assertThat(r).contains("\"method\":\"POST\"").contains("/admin/api/targets"))
			.anySatisfy((r) -> assertThat(r).contains("\"method\":\"DELETE\"").contains("/admin/api/grants/" + grant))
			.anySatisfy((r) -> assertThat(r).contains("/admin/api/vault/rotate-key"));
		assertThat(refusals.toString()).as("no token in the trail").doesNotContain(bob);
	}

	@Test
	void adminApiRequestsWithoutAnyCredentialAreRecordedAsRefused() {
		AdminClient anonymous = fixture.gateway().admin();
		long targets = count("target", "1 = 1");

		assertThat(anonymous.get("/admin/api/grants").status()).isEqualTo(401);
		assertThat(anonymous.post("/admin/api/targets", "{\"name\":\"anon\",\"endpoint\":\"http://127.0.0.1:1/mcp\"}")
			.status()).as("refused: no credential, no CSRF token").isIn(401, 403);

		assertThat(count("target", "1 = 1")).isEqualTo(targets);
		assertThat(awaitRefusals("subject is null and record like '%/admin/api/grants%'", 1).get(0).get("record")
			.toString()).contains("\"status\":401").contains("no credential").contains("\"method\":\"GET\"");
		assertThat(awaitRefusals("subject is null and record like '%/admin/api/targets%'", 1).get(0).get("record")
			.toString()).contains("\"method\":\"POST\"").contains("\"outcome\":\"refused\"");
	}

	@Test
	void aNonAdminsDashboardFormAndAnAdminsFormWithoutItsCsrfTokenAreRecordedAndChangeNothing() {
		int key = fixture.gateway().bean(Vault.class).activeKeyId();
		ScriptedBrowser bobsBrowser = new ScriptedBrowser();
		Page page = bobsBrowser.open(fixture.gateway().baseUrl() + "/admin");
		page = bobsBrowser.login(page, "bob", "password");
		assertThat(page.status()).isEqualTo(403);
		ScriptedBrowser carol = new ScriptedBrowser();
		Page dashboard = carol.open(fixture.gateway().baseUrl() + "/admin");
		dashboard = carol.login(dashboard, "carol", "password");
		assertThat(dashboard.status()).isEqualTo(200);

		Page forged = carol.post(fixture.gateway().baseUrl() + "/admin/vault/rotate-key", Map.of());

		assertThat(forged.status()).isEqualTo(403);
		assertThat(fixture.gateway().bean(Vault.class).activeKeyId()).isEqualTo(key);
		Map<String, Object> bobs = awaitRefusals("subject = 'bob' and record like '%\"path\":\"/admin\"%'", 1).get(0);
		assertThat(bobs.get("record").toString()).contains("\"status\":403").contains("the page needs the admin role")
			.contains("\"method\":\"GET\"");
		Map<String, Object> carols = awaitRefusals("subject = 'carol' and record like '%rotate-key%'", 1).get(0);
		assertThat(carols.get("record").toString()).contains("\"status\":403").contains("CSRF token")
			.contains("\"method\":\"POST\"");
	}

	private static List<Map<String, Object>> awaitRefusals(String where, int atLeast) {
		String sql = "select record from audit_record where type = 'access_denied' and " + where + " order by seq";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> jdbc().sql(sql).query().listOfRows().size() >= atLeast);
		return jdbc().sql(sql).query().listOfRows();
	}

	private static long policyVersions() {
		return count("access_policy", "1 = 1");
	}

	private static long count(String table, String where) {
		return jdbc().sql("select count(*) from " + table + " where " + where).query(Long.class).single();
	}

	private static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}
}
