package dev.gatehouse.server.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.demo.idp.HeadlessLogin;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A GitHub-style grant: the authorization server gave neither {@code expires_in} nor a refresh token. The gateway
 * assumes {@code gatehouse.oauth.default-token-lifetime}, and when that passes it keeps using the token (nothing
 * to refresh with) instead of sending the user back to consent; only when the target refuses the token is the
 * user asked to connect again. The token is a real one from the demo IdP (two hours at the IdP, unknown to the
 * gateway), seeded as such a grant.
 */
class UnknownLifetimeTests {

	static OAuthFixture fixture;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().policy(ClientConfigurationTests.EVERYONE).upstreamTokenTtl(Duration.ofHours(2)).start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	void aTokenWithoutLifetimeOrRefreshTokenIsKeptUntilTheTargetRefusesItThenTheUserConnectsAgain() {
		String issuer = fixture.idp().issuer();
		String token = HeadlessLogin.builder(issuer)
			.clientId(OAuthFixture.CLIENT_ID)
			.clientSecret(OAuthFixture.CLIENT_SECRET)
			.redirectUri(fixture.gateway().baseUrl() + "/oauth/callback/" + OAuthFixture.TARGET)
			.scope("risk:analyze data:read")
			.resource(fixture.risk().url())
			.build()
			.login("alice", "password")
			.accessToken();
		Instant now = fixture.clock().instant();
		TokenSet githubStyle = new TokenSet(Secret.of(token), "Bearer", now.plus(Duration.ofMinutes(30)), true, null,
				List.of("risk:analyze", "data:read"), now);
		GrantStore store = fixture.gateway().bean(GrantStore.class);
		fixture.gateway().bean(TransactionTemplate.class).executeWithoutResult((tx) -> store.saveConsented(
				OAuthFixture.TARGET, issuer, "alice", issuer, OAuthFixture.CLIENT_ID, githubStyle));
		fixture.gateway().admin().withBearer(fixture.token("carol")).post("/admin/api/targets/" + OAuthFixture.TARGET
				+ "/sync", "{}");
		McpTestClient alice = fixture.agent("alice");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> alice.result("tools/list", "{}").toString().contains("get_credit_rating"));
		long tokenRequests = fixture.idp().tokenRequests().size();

		fixture.clock().advance(Duration.ofMinutes(40));
		JsonNode afterAssumedExpiry = alice.result("tools/call", OAuthFixture.RATING);

		assertThat(afterAssumedExpiry.path("isError").asBoolean(false)).as(afterAssumedExpiry.toString()).isFalse();
		assertThat(fixture.lastSubjectSeen()).isEqualTo("alice");
		assertThat(fixture.idp().tokenRequests()).as("nothing to refresh with: no token request").hasSize(
				(int) tokenRequests);
		Grant kept = store.find(OAuthFixture.TARGET, issuer, "alice").orElseThrow().grant();
		assertThat(kept.active()).isTrue();
		assertThat(kept.accessExpiresAt()).as("assumed lifetime extended")
			.isAfter(fixture.clock().instant().plus(Duration.ofMinutes(25)));

		fixture.clock().advance(Duration.ofHours(2));
		JsonNode refused = fixture.agent("alice").result("tools/call", OAuthFixture.RATING);

		assertThat(refused.toString()).as("the target refused the expired token: connect again")
			.contains("/connect/" + OAuthFixture.TARGET);
		Grant after = store.find(OAuthFixture.TARGET, issuer, "alice").orElseThrow().grant();
		assertThat(after.status()).isEqualTo(Grant.RECONSENT_REQUIRED);
		await().atMost(Duration.ofSeconds(5)).until(() -> !audit.ofType("grant_reconsent_required").isEmpty());
	}
}
