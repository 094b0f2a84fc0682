package dev.gatehouse.server.monitor;

import java.time.Duration;
import java.util.Map;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.Prometheus;
import dev.gatehouse.server.testing.ScriptedBrowser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OAuth broker's metrics after a scripted workload on real components (the demo IdP, the OAuth-protected
 * risk-assessment target, a gateway, a stepped clock shared by all three): a consent completed, a consent
 * declined, callbacks that fail, a refresh that succeeds and one that fails while the IdP is down, a refused
 * token. Each counter is checked against what the workload did.
 */
class OAuthMetricsTests {

	static final String TARGET = OAuthFixture.TARGET;

	static OAuthFixture fixture;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().start();
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void consentFunnelTokenRequestsAndGrantsAreCountedFromTheAuditTrail() {
		// alice connects through the connect tool: requested, started, completed (a code exchange).
		fixture.connectFirst("alice");
		McpTestClient alice = fixture.agent("alice");
		assertOk(alice.result("tools/call", OAuthFixture.RATING));

		// bob gets a link from a tool call and declines on the gateway's page.
		McpTestClient bob = fixture.agent("bob");
		String link = OAuthFixture.link(bob.result("tools/call", OAuthFixture.RATING));
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page page = browser.open(link);
		if (page.isAt(fixture.idp().issuer() + "/login")) {
			page = browser.login(page, "bob", "password");
		}
		page = browser.submit(page, "form[action*=/connect/]", Map.of("decision", "decline"));
		assertThat(page.body()).contains("data-outcome=\"declined\"");

		// Two answers that belong to no authorization: one at the target's callback, one at a made-up target's.
		new ScriptedBrowser().open(fixture.gateway().baseUrl() + "/oauth/callback/" + TARGET + "?code=c&state=s1");
		new ScriptedBrowser().open(fixture.gateway().baseUrl() + "/oauth/callback/made-up-target?code=c&state=s2");

		// A refresh before expiry, then one that fails while the IdP is down (the still valid token is used).
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(10));
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		fixture.idp().tokenEndpointOutage(true);
		try {
			assertOk(alice.result("tools/call", OAuthFixture.RATING));
		}
		finally {
			fixture.idp().tokenEndpointOutage(false);
		}

		// A token the gateway does not accept.
		assertThat(fixture.gateway().client().bearer("not-a-token").request("tools/list", "{}").status())
			.isEqualTo(401);

		await().until(() -> Prometheus.scrape(fixture.gateway().baseUrl())
			.value("gatehouse_authentication_failures_total") >= 1);
		Prometheus metrics = Prometheus.scrape(fixture.gateway().baseUrl());
		assertThat(consent(metrics, "requested")).as("alice's connect tool, bob's tool call").isEqualTo(2);
		assertThat(consent(metrics, "started")).isEqualTo(1);
		assertThat(consent(metrics, "completed")).isEqualTo(1);
		assertThat(consent(metrics, "declined")).isEqualTo(1);
		assertThat(metrics.value("gatehouse_consent_total", "target", TARGET, "stage", "failed", "reason",
				"state_unknown")).isEqualTo(1);
		assertThat(metrics.value("gatehouse_consent_total", "target", "-", "stage", "failed", "reason",
				"state_unknown")).as("a made-up target name is not a tag value").isEqualTo(1);
		assertThat(metrics.text()).doesNotContain("made-up-target");

		assertThat(tokenRequests(metrics, "authorization_code", "success")).isEqualTo(1);
		assertThat(tokenRequests(metrics, "refresh_token", "success")).isEqualTo(1);
		assertThat(tokenRequests(metrics, "refresh_token", "failure")).isEqualTo(1);
		assertThat(tokenRequests(metrics, "refresh_token", "refused")).isZero();

		assertThat(metrics.value("gatehouse_tool_calls_seconds_count", "target", TARGET, "tool",
				TARGET + "___get_credit_rating", "outcome", "success")).isEqualTo(3);
		assertThat(metrics.value("gatehouse_tool_calls_seconds_count", "target", TARGET, "outcome",
				"authorization_required")).as("alice's connect, bob's call").isEqualTo(2);
		assertThat(metrics.value("gatehouse_vault_grants", "status", "active")).isEqualTo(1);
		assertThat(metrics.value("gatehouse_authentication_failures_total", "error", "invalid_token")).isEqualTo(1);
	}

	private static double consent(Prometheus metrics, String stage) {
		return metrics.value("gatehouse_consent_total", "target", TARGET, "stage", stage);
	}

	private static double tokenRequests(Prometheus metrics, String grantType, String outcome) {
		return metrics.value("gatehouse_oauth_token_requests_total", "target", TARGET, "grant_type", grantType,
				"outcome", outcome);
	}

	private static void assertOk(JsonNode result) {
		assertThat(result.has("isError") && result.get("isError").asBoolean()).as(result.toString()).isFalse();
	}
}
