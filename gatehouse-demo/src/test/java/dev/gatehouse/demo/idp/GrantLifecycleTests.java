package dev.gatehouse.demo.idp;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;
import dev.gatehouse.demo.idp.HeadlessLogin.Tokens;
import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens to a grant after it is issued, and what a test can observe of it: refresh
 * token reuse detection revokes the whole grant, RFC 7009 revocation ends it, the token
 * endpoint's records (without credentials) and its outage switch.
 */
class GrantLifecycleTests {

	private static final String RISK = "http://127.0.0.1:18092/mcp";

	private static final String CALLBACK = "http://127.0.0.1:18080/oauth/callback/risk";

	private static final String SECRET = "lifecycle-secret-0123456789";

	private static DemoIdentityProvider idp;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder()
			.client(DemoClient.builder("gatehouse").secret(SECRET).redirectUris(CALLBACK).build())
			.start();
	}

	@AfterAll
	static void stop() {
		idp.close();
	}

	@Test
	void refreshWhenRotatedOutTokenIsUsedAgainThenInvalidGrantAndTheWholeGrantIsRevoked() {
		HeadlessLogin login = login();
		Tokens first = login.login("alice", "password");
		long reusesBefore = idp.refreshTokenReuses();
		assertThat(idp.activeAuthorizations("gatehouse", "alice")).isEqualTo(1);

		Tokens second = login.refresh(first.refreshToken(), null);

		assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
		assertThatThrownBy(() -> login.refresh(first.refreshToken(), null))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.error()).isEqualTo("invalid_grant");
			});
		assertThat(idp.refreshTokenReuses()).isEqualTo(reusesBefore + 1);
		assertThatThrownBy(() -> login.refresh(second.refreshToken(), null))
			.isInstanceOfSatisfying(HeadlessLoginException.class,
					(ex) -> assertThat(ex.error()).isEqualTo("invalid_grant"));
		assertThat(idp.activeAuthorizations("gatehouse", "alice")).isZero();
		HttpResponse<String> userInfo = IdpHttp.get(idp.issuer() + "/userinfo", "Authorization",
				"Bearer " + second.accessToken());
		assertThat(userInfo.statusCode()).as("the grant's current access token is revoked too").isEqualTo(401);
	}

	@Test
	void revokeWhenRefreshTokenRevokedThenGrantIsNoLongerActive() {
		HeadlessLogin login = login();
		Tokens tokens = login.login("bob", "password");
		long revocationsBefore = idp.revocations();
		long reusesBefore = idp.refreshTokenReuses();
		assertThat(idp.activeAuthorizations("gatehouse", "bob")).isEqualTo(1);

		HttpResponse<String> response = revoke(tokens.refreshToken(), "refresh_token");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(idp.revocations()).isEqualTo(revocationsBefore + 1);
		assertThat(idp.activeAuthorizations("gatehouse", "bob")).isZero();
		assertThatThrownBy(() -> login.refresh(tokens.refreshToken(), null))
			.isInstanceOfSatisfying(HeadlessLoginException.class,
					(ex) -> assertThat(ex.error()).isEqualTo("invalid_grant"));
		assertThat(idp.refreshTokenReuses()).as("a revoked token is not a reused one").isEqualTo(reusesBefore);
	}

	@Test
	void revokeWhenOnlyTheAccessTokenIsRevokedThenTheRefreshTokenKeepsTheGrantActive() {
		HeadlessLogin login = login();
		Tokens tokens = login.login("carol", "password");

		assertThat(revoke(tokens.accessToken(), "access_token").statusCode()).isEqualTo(200);

		assertThat(idp.activeAuthorizations("gatehouse", "carol")).isEqualTo(1);
		assertThat(login.refresh(tokens.refreshToken(), null).accessToken()).isNotBlank();
	}

	@Test
	void activeAuthorizationsWhenUnknownClientThenZero() {
		assertThat(idp.activeAuthorizations("nobody", "alice")).isZero();
	}

	@Test
	void tokenRequestsWhenCodeExchangeFailsAndRefreshNarrowsThenRecordedWithoutAnyCredential() {
		HeadlessLogin login = login();
		AuthorizationCode code = login.authorize("dave", "password");
		int before = idp.tokenRequests().size();
		HttpResponse<String> refused = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "authorization_code", "code", code.code(), "redirect_uri",
						code.redirectUri(), "code_verifier", "wrong-verifier-0123456789012345678901234567",
						"resource", RISK),
				"Authorization", HttpExchanges.basic("gatehouse", SECRET));
		Tokens tokens = login.exchange(code);
		Tokens refreshed = login.refresh(tokens.refreshToken(), RISK);

		List<TokenRequest> requests = idp.tokenRequests().subList(before, before + 3);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(requests).containsExactly(
				new TokenRequest("authorization_code", "gatehouse", "client_secret_basic", List.of(RISK), null, 400,
						"invalid_grant"),
				new TokenRequest("authorization_code", "gatehouse", "client_secret_basic", List.of(RISK), null, 200,
						null),
				new TokenRequest("refresh_token", "gatehouse", "client_secret_basic", List.of(RISK), null, 200, null));
		assertThat(requests.toString()).doesNotContain(SECRET, code.code(), code.codeVerifier(),
				tokens.accessToken(), tokens.refreshToken(), refreshed.refreshToken());
		assertThat(idp.tokenRequestCount("authorization_code")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void tokenRequestsWhenNoClientIdentificationThenRecordedAsUnauthenticated() {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "client_credentials", "scope", "openid"));

		assertThat(response.statusCode()).isEqualTo(401);
		TokenRequest last = idp.tokenRequests().get(idp.tokenRequests().size() - 1);
		assertThat(last.clientAuthenticationMethod()).isEqualTo(TokenRequest.UNAUTHENTICATED);
		assertThat(last.clientId()).isNull();
		assertThat(last.scope()).isEqualTo("openid");
		assertThat(last.status()).isEqualTo(401);
		assertThat(last.succeeded()).isFalse();
	}

	@Test
	void tokenEndpointOutageWhenDownThen503TemporarilyUnavailableAndTheGrantSurvives() {
		HeadlessLogin login = login();
		Tokens tokens = login.login("alice", "password");

		idp.tokenEndpointOutage(true);
		try {
			assertThatThrownBy(() -> login.refresh(tokens.refreshToken(), null))
				.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
					assertThat(ex.step()).isEqualTo(Step.REFRESH);
					assertThat(ex.status()).isEqualTo(503);
					assertThat(ex.error()).isEqualTo("temporarily_unavailable");
				});
			TokenRequest last = idp.tokenRequests().get(idp.tokenRequests().size() - 1);
			assertThat(last).isEqualTo(new TokenRequest("refresh_token", "gatehouse", "client_secret_basic",
					List.of(), null, 503, "temporarily_unavailable"));
			assertThat(IdpHttp.get(idp.issuer() + "/oauth2/jwks").statusCode()).isEqualTo(200);
		}
		finally {
			idp.tokenEndpointOutage(false);
		}
		assertThat(login.refresh(tokens.refreshToken(), null).accessToken()).isNotBlank();
	}

	private static HeadlessLogin login() {
		return HeadlessLogin.builder(idp.issuer())
			.clientId("gatehouse")
			.clientSecret(SECRET)
			.redirectUri(CALLBACK)
			.resource(RISK)
			.build();
	}

	private static HttpResponse<String> revoke(String token, String hint) {
		return IdpHttp.postForm(idp.issuer() + "/oauth2/revoke",
				IdpHttp.form("token", token, "token_type_hint", hint), "Authorization",
				HttpExchanges.basic("gatehouse", SECRET));
	}

}
