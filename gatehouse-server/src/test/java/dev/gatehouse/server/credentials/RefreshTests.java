package dev.gatehouse.server.credentials;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.demo.host.ObservedToken;
import dev.gatehouse.demo.idp.TokenRequest;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refresh, with a stepped clock shared by the gateway, the IdP and the target, and 5-minute upstream tokens: before
 * expiry, once for 200 concurrent calls, with the IdP's refresh-token rotation and reuse detection never tripped,
 * with the resource sent every time; {@code invalid_grant} leads back to the consent link; an IdP that is down keeps
 * the grant; a target's 401 causes one refresh and one retry, never a loop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefreshTests {

	static OAuthFixture fixture;

	static AuditCapture audit;

	static McpTestClient alice;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().refreshTokenTtl(Duration.ofHours(1)).start();
		audit = AuditCapture.attach();
		fixture.connectFirst("alice");
		alice = fixture.agent("alice");
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	@Order(1)
	void aFreshTokenIsUsedAsIsAndOneAboutToExpireIsRefreshedFirst() {
		long refreshes = refreshes();
		Grant before = grant();
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		assertThat(refreshes()).isEqualTo(refreshes);
		String oldToken = lastAccepted().tokenSha256();

		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(10));
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		assertThat(refreshes()).as("refreshed once, before the token expired").isEqualTo(refreshes + 1);
		assertThat(lastAccepted().tokenSha256()).isNotEqualTo(oldToken);
		Grant after = grant();
		assertThat(after.id()).isEqualTo(before.id());
		assertThat(after.version()).isEqualTo(before.version() + 1);
		assertThat(after.accessExpiresAt()).isAfter(before.accessExpiresAt());
		TokenRequest refresh = lastRefreshRequest();
		assertThat(refresh.resources()).as("resource on refresh").containsExactly(fixture.risk().url());
		assertThat(refresh.scope()).as("no scope on refresh: the grant keeps its scopes").isNull();
		assertThat(refresh.clientAuthenticationMethod()).isEqualTo("client_secret_basic");
		assertThat(refresh.status()).isEqualTo(200);
		assertThat(audit.awaitType("grant_refreshed")).isNotEmpty();
	}

	@Test
	@Order(2)
	void twoHundredConcurrentCallsOnAnExpiringGrantCauseExactlyOneRefresh() throws Exception {
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(10));
		long refreshes = refreshes();
		List<JsonNode> results = concurrently(200, () -> alice.result("tools/call", OAuthFixture.RATING));
		results.forEach(RefreshTests::assertOk);
		assertThat(refreshes()).isEqualTo(refreshes + 1);
		assertThat(fixture.idp().refreshTokenReuses()).isZero();
	}

	@Test
	@Order(3)
	void refreshTokenRotationWithReuseDetectionNeverBurnsTheGrant() throws Exception {
		for (int round = 0; round < 5; round++) {
			fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
			concurrently(40, () -> alice.result("tools/call", OAuthFixture.RATING)).forEach(RefreshTests::assertOk);
		}
		assertThat(fixture.idp().refreshTokenReuses()).as("no rotated refresh token was ever presented twice").isZero();
		assertThat(grant().active()).isTrue();
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "alice")).isPositive();
	}

	@Test
	@Order(4)
	void whenTheIdpIsDownTheGrantIsKeptTheStillValidTokenIsUsedAndTheCallWorksAgainLater() {
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		long refreshes = refreshes();
		fixture.idp().tokenEndpointOutage(true);
		try {
			assertOk(alice.result("tools/call", OAuthFixture.RATING));
			assertThat(grant().refreshFailures()).as("the failed refresh is counted").isEqualTo(1);
			fixture.clock().advance(Duration.ofMinutes(1));
			JsonNode error = alice.request("tools/call", OAuthFixture.RATING).response().get("error");
			assertThat(error.get("data").get("reason").asString()).isEqualTo("authorization_unavailable");
			assertThat(error.get("message").asString()).contains("retry").doesNotContain("/connect/");
			assertThat(grant().active()).as("a transient failure keeps the grant").isTrue();
			assertThat(audit.awaitType("grant_refresh_failed")).isNotEmpty();
		}
		finally {
			fixture.idp().tokenEndpointOutage(false);
		}
		fixture.clock().advance(Duration.ofMinutes(6));
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		assertThat(grant().refreshFailures()).isZero();
		assertThat(fixture.idp().tokenRequests().stream().filter((r) -> r.status() == 503)).isNotEmpty();
		assertThat(refreshes()).isGreaterThan(refreshes);
	}

	@Test
	@Order(5)
	void aTargetThatRefusesTheTokenWith401GetsOneRefreshAndOneRetry() {
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		long refreshes = refreshes();
		// Two minutes on, the token is fresh for the gateway (three minutes left); the target's clock runs 4.5
		// minutes ahead, so for the target it expired (beyond its 60 s skew). A token refreshed now is good for it.
		fixture.clock().advance(Duration.ofMinutes(2));
		fixture.riskClock().shift(Duration.ofMinutes(4).plusSeconds(30));
		try {
			int seen = fixture.risk().observedTokens().size();
			assertOk(alice.result("tools/call", OAuthFixture.RATING));
			assertThat(refreshes()).isEqualTo(refreshes + 1);
			List<ObservedToken> call = fixture.risk().observedTokens().subList(seen, fixture.risk().observedTokens().size());
			assertThat(call).extracting(ObservedToken::rejection).contains("expired").contains((String) null);

			// Now every token is expired for the target: one refresh, one retry, then the 401 is the answer.
			fixture.riskClock().shift(Duration.ofHours(1));
			long before = refreshes();
			JsonNode error = alice.request("tools/call", OAuthFixture.RATING).response().get("error");
			assertThat(error.get("data").get("reason").asString()).isEqualTo("upstream_unauthorized");
			assertThat(refreshes()).as("no refresh loop").isEqualTo(before + 1);
		}
		finally {
			fixture.riskClock().shift(Duration.ofMinutes(-64).minusSeconds(30));
		}
	}

	@Test
	@Order(6)
	void theSweepRefreshesRecentlyUsedGrantsAheadOfTheirNextUse() {
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		await().until(() -> grant().lastUsedAt() != null);
		long refreshes = refreshes();
		fixture.clock().advance(Duration.ofMinutes(3));
		assertThat(fixture.gateway().bean(RefreshSweep.class).run()).isEqualTo(1);
		assertThat(refreshes()).isEqualTo(refreshes + 1);
		int seenRefreshes = (int) refreshes();
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		assertThat(refreshes()).as("the call did not wait for a refresh").isEqualTo(seenRefreshes);
	}

	@Test
	@Order(7)
	void invalidGrantOnRefreshLeadsBackToTheConsentLinkAndReconnectingRestoresTheSameGrant() {
		Grant before = grant();
		fixture.clock().advance(Duration.ofHours(2));
		alice = fixture.agent("alice");
		JsonNode answer = alice.result("tools/call", OAuthFixture.RATING);
		assertThat(answer.get("isError").asBoolean()).isTrue();
		assertThat(answer.toString()).contains("expired or was revoked").contains("/connect/risk-assessment-mcp");
		Grant marked = grant();
		assertThat(marked.status()).isEqualTo(Grant.RECONSENT_REQUIRED);
		assertThat(marked.statusReason()).contains("invalid_grant");
		assertThat(marked.hasRefreshToken()).isFalse();
		assertThat(marked.accessExpiresAt()).isNull();
		assertThat(audit.awaitType("grant_reconsent_required", "invalid_grant").toString()).contains("invalid_grant");
		JsonNode again = alice.result("tools/call", OAuthFixture.RATING);
		assertThat(again.toString()).as("still the consent link, no refresh attempt").contains("/connect/");

		assertThat(fixture.connect("alice", OAuthFixture.link(answer)).body()).contains("data-outcome=\"connected\"");
		assertOk(alice.result("tools/call", OAuthFixture.RATING));
		assertThat(grant().id()).isEqualTo(before.id());
		assertThat(grant().active()).isTrue();
	}

	static void assertOk(JsonNode result) {
		assertThat(result.has("isError") && result.get("isError").asBoolean()).as(result.toString()).isFalse();
		assertThat(result.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
	}

	static <T> List<T> concurrently(int calls, Callable<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(50);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				futures.add(pool.submit(call));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> f : futures) {
				results.add(f.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

	static long refreshes() {
		return fixture.idp().tokenRequestCount("refresh_token");
	}

	static TokenRequest lastRefreshRequest() {
		List<TokenRequest> all = fixture.idp().tokenRequests().stream().filter((r) -> "refresh_token".equals(r.grantType()))
			.toList();
		return all.get(all.size() - 1);
	}

	static Grant grant() {
		return fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "alice").get(0);
	}

	static ObservedToken lastAccepted() {
		var accepted = fixture.risk().observedTokens().stream()
			.filter((t) -> t.rejection() == null && "tools/call".equals(t.method()))
			.toList();
		return accepted.get(accepted.size() - 1);
	}
}
