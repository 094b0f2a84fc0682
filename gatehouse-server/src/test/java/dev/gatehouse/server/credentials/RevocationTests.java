package dev.gatehouse.server.credentials;

import java.util.Map;

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

/**
 * Disconnecting and revoking: a user disconnects their own grant on "My connections", an admin revokes one grant,
 * all grants of a target, or all of a user. Each deletes the grant, revokes it at the authorization server
 * (RFC 7009), is audited, and brings back the consent link on the next call.
 */
class RevocationTests {

	static OAuthFixture fixture;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().start();
		audit = AuditCapture.attach();
		fixture.connectFirst("alice");
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	void aUserDisconnectsTheirOwnGrantOnMyConnectionsAndTheServerRevokesIt() {
		connect("bob");
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "bob")).isPositive();
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page page = browser.login(browser.open(fixture.gateway().baseUrl() + "/me/connections"), "bob",
				"password");
		assertThat(page.body()).contains("data-target=\"risk-assessment-mcp\"").contains("data:read");
		assertThat(page.body()).doesNotContain(grant("alice").id()).as("only bob's own grants");
		ScriptedBrowser.Page after = browser.submit(page, "form[action*=disconnect]", Map.of());
		assertThat(after.body()).contains("id=\"disconnected\"");
		assertThat(fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "bob")).isEmpty();
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "bob"))
			.as("revoked at the authorization server too").isZero();
		assertThat(audit.awaitType("grant_revoked", "bob").toString()).contains("bob").contains("\"authorization_server\":\"revoked\"");
		JsonNode next = fixture.agent("bob").result("tools/call", OAuthFixture.RATING);
		assertThat(next.toString()).contains("/connect/risk-assessment-mcp");
	}

	@Test
	void aUserCannotDisconnectAnotherUsersGrant() {
		String alices = grant("alice").id();
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page page = browser.login(browser.open(fixture.gateway().baseUrl() + "/me/connections"), "dave",
				"password");
		String csrf = page.document().select("form[action=/logout] input[name=_csrf]").attr("value");
		assertThat(csrf).isNotEmpty();
		ScriptedBrowser.Page refused = browser.submitTo(page, "/me/connections/" + alices + "/disconnect",
				Map.of("_csrf", csrf));
		assertThat(refused.status()).isEqualTo(404);
		assertThat(grant("alice").active()).isTrue();
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "alice")).isPositive();
	}

	@Test
	void anAdminRevokesOneGrantAllOfATargetOrAllOfAUser() {
		AdminClient admin = fixture.gateway().admin().withBearer(fixture.token("carol"));
		connect("bob");
		AdminClient.Response list = admin.get("/admin/api/grants?target=" + OAuthFixture.TARGET);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).contains("\"subject\":\"alice\"").doesNotContain("access_token").doesNotContain("ey");

		AdminClient.Response one = admin.delete("/admin/api/grants/" + grant("bob").id());
		assertThat(one.status()).isEqualTo(200);
		assertThat(one.json().get("authorizationServerRevocation").asString()).isEqualTo("revoked");
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "bob")).isZero();
		assertThat(admin.delete("/admin/api/grants/" + "no-such-grant").status()).isEqualTo(404);

		connect("bob");
		AdminClient.Response user = admin.delete("/admin/api/grants?subject=bob");
		assertThat(user.json().get("revoked").asInt()).isEqualTo(1);
		assertThat(fixture.gateway().bean(Grants.class).list(null, null, "bob")).isEmpty();

		connect("bob");
		AdminClient.Response target = admin.delete("/admin/api/grants?target=" + OAuthFixture.TARGET);
		assertThat(target.json().get("revoked").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, null)).isEmpty();
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "alice")).isZero();

		AdminClient.Response all = admin.delete("/admin/api/grants");
		assertThat(all.status()).isEqualTo(400);
		assertThat(all.body()).contains("target").contains("subject");
		AdminClient.Response notAdmin = fixture.gateway().admin().withBearer(fixture.token("alice"))
			.delete("/admin/api/grants?subject=bob");
		assertThat(notAdmin.status()).isEqualTo(403);
		connect("alice");
	}

	private static void connect(String user) {
		McpTestClient agent = fixture.agent(user);
		JsonNode answer = agent.result("tools/call", OAuthFixture.RATING);
		if (answer.toString().contains("/connect/")) {
			assertThat(fixture.connect(user, OAuthFixture.link(answer)).body()).contains("data-outcome=\"connected\"");
		}
	}

	private static Grant grant(String subject) {
		return fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, subject).get(0);
	}
}
