package dev.gatehouse.server.admin;

import java.time.Duration;
import java.util.Map;

import dev.gatehouse.server.credentials.Grants;
import dev.gatehouse.server.credentials.vault.KeyRotation;
import dev.gatehouse.server.credentials.vault.Vault;
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
 * Revocation and rotation from one dashboard, in a browser session (OIDC login at the demo IdP, CSRF-protected
 * forms): an admin sees every user's grants without their tokens, revokes one (also at the authorization server),
 * starts an online key rotation and verifies the audit trail; each action is audited; a non-admin cannot, and a
 * form posted without its CSRF token changes nothing.
 */
class DashboardTests {

	static OAuthFixture fixture;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().start();
		fixture.connectFirst("alice");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void anAdminRevokesAGrantRotatesTheKeyAndVerifiesTheAuditTrailFromTheDashboard() {
		ScriptedBrowser carol = new ScriptedBrowser();
		Page dashboard = loggedIn(carol, "carol");
		assertThat(dashboard.document().select("#grants tr[data-subject=alice]")).hasSize(1);
		assertThat(dashboard.body()).as("no JWT (access or refresh token) on the page").doesNotContain("eyJ");
		long revocations = fixture.idp().revocations();

		Page revoked = carol.submit(dashboard, "#grants tr[data-subject=alice] form", Map.of());

		assertThat(revoked.document().select("#notice").text()).contains("Revoked the grant of alice");
		assertThat(revoked.document().select("#grants tr[data-subject=alice]")).isEmpty();
		assertThat(fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "alice")).isEmpty();
		assertThat(fixture.idp().revocations()).as("revoked at the authorization server too").isGreaterThan(revocations);

		int before = fixture.gateway().bean(Vault.class).activeKeyId();
		Page rotating = carol.submit(revoked, "form[action$=/admin/vault/rotate-key]", Map.of());
		assertThat(rotating.document().select("#notice").text()).contains("Rotation to data key " + (before + 1));
		await().atMost(Duration.ofSeconds(20)).until(() -> fixture.gateway().bean(KeyRotation.class).latest()
			.map((r) -> r.status().equals("done")).orElse(false));
		assertThat(carol.open(fixture.gateway().baseUrl() + "/admin").document().select("#vault").text())
			.contains("done");

		Page verified = carol.submit(rotating, "form[action$=/admin/audit/verify]", Map.of());
		assertThat(verified.document().select("#notice").text()).contains("The audit trail verifies");

		await().atMost(Duration.ofSeconds(5)).until(() -> jdbc().sql("select count(*) from audit_record where type = "
				+ "'admin_action' and subject = 'carol'").query(Long.class).single() >= 3);
		assertThat(jdbc().sql("select count(*) from audit_record where type = 'grant_revoked' and subject = 'alice'")
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void aNonAdminIsRefusedAndAFormWithoutItsCsrfTokenChangesNothing() {
		ScriptedBrowser alice = new ScriptedBrowser();
		Page page = alice.open(fixture.gateway().baseUrl() + "/admin");
		page = alice.login(page, "alice", "password");
		assertThat(page.status()).isEqualTo(403);
		int key = fixture.gateway().bean(Vault.class).activeKeyId();

		ScriptedBrowser carol = new ScriptedBrowser();
		loggedIn(carol, "carol");
		Page forged = carol.post(fixture.gateway().baseUrl() + "/admin/vault/rotate-key", Map.of());

		assertThat(forged.status()).isEqualTo(403);
		assertThat(fixture.gateway().bean(Vault.class).activeKeyId()).isEqualTo(key);
	}

	@Test
	void aTrailThatDoesNotVerifyIsShownAsAFailureAndANoticeCannotBeForgedInTheUrl() {
		ScriptedBrowser carol = new ScriptedBrowser();
		Page dashboard = loggedIn(carol, "carol");
		long seq = jdbc().sql("select max(seq) from audit_record").query(Long.class).single();
		String original = jdbc().sql("select record from audit_record where seq = ?").param(seq).query(String.class)
			.single();
		jdbc().sql("update audit_record set record = ? where seq = ?").params(original.replace("{", "{\"x\":1,"), seq)
			.update();
		try {
			Page verified = carol.submit(dashboard, "form[action$=/admin/audit/verify]", Map.of());

			assertThat(verified.document().select("#notice").text()).contains("does NOT verify");
			assertThat(verified.document().select("#notice").attr("class")).isEqualTo("failed");
			assertThat(verified.document().select("#notice").attr("role")).isEqualTo("alert");
		}
		finally {
			jdbc().sql("update audit_record set record = ? where seq = ?").params(original, seq).update();
		}
		Page forged = carol.open(fixture.gateway().baseUrl() + "/admin?notice=The+audit+trail+verifies");
		assertThat(forged.document().select("#notice")).as("a notice comes from the action, not from a link").isEmpty();
	}

	private static Page loggedIn(ScriptedBrowser browser, String user) {
		Page page = browser.open(fixture.gateway().baseUrl() + "/admin");
		if (page.isAt(fixture.idp().issuer() + "/login")) {
			page = browser.login(page, user, "password");
		}
		assertThat(page.status()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains("Upstream grants");
		return page;
	}

	private static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}
}
