package dev.gatehouse.demo.idp;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;
import dev.gatehouse.demo.idp.HeadlessLogin.Tokens;
import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pre-registered {@link DemoClient}s end to end against a real
 * {@link DemoIdentityProvider}: {@code client_secret_basic}, {@code client_secret_post},
 * {@code private_key_jwt} (RS256 and ES256, with a JWK Set served over HTTP), client
 * credentials with RFC 8707 audiences, per-client scopes and token lifetime, and Spring
 * Authorization Server's consent page approved and cancelled.
 */
class DemoClientFlowTests {

	private static final String RISK = "http://127.0.0.1:18092/mcp";

	private static final String CALLBACK = "http://127.0.0.1:18080/oauth/callback/risk-assessment-mcp";

	private static final RSAKey KEY = IdpHttp.testKey("flow-key");

	private static ClientJwks clientKeys;

	private static DemoIdentityProvider idp;

	@BeforeAll
	static void start() {
		clientKeys = new ClientJwks();
		idp = DemoIdentityProvider.builder()
			.signingKey(KEY)
			.client(DemoClient.builder("basic-client")
				.secret("basic-secret")
				.redirectUris(CALLBACK)
				.scopes("risk:analyze", "data:read")
				.build())
			.client(DemoClient.builder("post-client")
				.secret("post-secret")
				.authenticationMethods("client_secret_post")
				.redirectUris(CALLBACK)
				.scopes("risk:analyze")
				.accessTokenTtl(Duration.ofSeconds(90))
				.build())
			.client(DemoClient.builder("service-client")
				.secret("service-secret")
				.grantTypes("client_credentials")
				.scopes("data:read", "risk:analyze")
				.build())
			.client(DemoClient.builder("jwt-client")
				.jwkSetUrl(clientKeys.url())
				.grantTypes("client_credentials", "authorization_code", "refresh_token")
				.redirectUris(CALLBACK)
				.scopes("data:read")
				.build())
			.client(DemoClient.builder("consent-client")
				.redirectUris(CALLBACK)
				.scopes("risk:analyze", "data:read")
				.requireConsent(true)
				.build())
			.start();
	}

	@AfterAll
	static void stop() {
		idp.close();
		clientKeys.close();
	}

	@Test
	void codeFlowWhenClientSecretBasicThenTokensForTheResourceWithItsScopesAndRotatingRefresh()
			throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
			.clientId("basic-client")
			.clientSecret("basic-secret")
			.redirectUri(CALLBACK)
			.scope("risk:analyze data:read")
			.resource(RISK)
			.build();

		Tokens tokens = login.login("alice", "password");
		Tokens refreshed = login.refresh(tokens.refreshToken(), null);

		JWTClaimsSet claims = IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getAudience()).containsExactly(RISK);
		assertThat(claims.getStringClaim("scope")).isEqualTo("data:read risk:analyze");
		assertThat(claims.getStringClaim("client_id")).isEqualTo("basic-client");
		assertThat(IdpHttp.verified(idp, refreshed.accessToken()).getJWTClaimsSet().getAudience())
			.containsExactly(RISK);
		assertThat(refreshed.refreshToken()).isNotEqualTo(tokens.refreshToken());
		assertThat(last().clientAuthenticationMethod()).isEqualTo("client_secret_basic");
		assertThat(last().clientId()).isEqualTo("basic-client");
	}

	@Test
	void codeFlowWhenScopeNotRegisteredForTheClientThenInvalidScope() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
			.clientId("post-client")
			.redirectUri(CALLBACK)
			.scope("data:read")
			.build();

		assertThatThrownBy(() -> login.authorize("alice", "password"))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> assertThat(ex.error()).isEqualTo("invalid_scope"));
	}

	@Test
	void codeExchangeWhenClientSecretPostThenTokensWithTheClientsOwnLifetime() throws ParseException {
		AuthorizationCode code = HeadlessLogin.builder(idp.issuer())
			.clientId("post-client")
			.redirectUri(CALLBACK)
			.scope("risk:analyze")
			.resource(RISK)
			.build()
			.authorize("bob", "password");

		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "authorization_code", "code", code.code(), "redirect_uri",
						code.redirectUri(), "code_verifier", code.codeVerifier(), "resource", RISK, "client_id",
						"post-client", "client_secret", "post-secret"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JWTClaimsSet claims = IdpHttp.verified(idp, IdpHttp.json(response).get("access_token").stringValue())
			.getJWTClaimsSet();
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofSeconds(90));
		assertThat(IdpHttp.json(response).get("refresh_token").stringValue()).isNotBlank();
		assertThat(last()).isEqualTo(new TokenRequest("authorization_code", "post-client", "client_secret_post",
				List.of(RISK), null, 200, null));
	}

	@Test
	void tokenRequestWhenClientRegisteredForPostSendsBasicThenInvalidClient() {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "refresh_token", "refresh_token", "whatever"), "Authorization",
				HttpExchanges.basic("post-client", "post-secret"));

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_client");
		assertThat(last().clientAuthenticationMethod()).isEqualTo("client_secret_basic");
		assertThat(last().error()).isEqualTo("invalid_client");
	}

	@Test
	void clientCredentialsWhenResourceAndScopeThenTokenWhoseSubjectIsTheClient() throws ParseException {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "client_credentials", "scope", "data:read", "resource", RISK),
				"Authorization", HttpExchanges.basic("service-client", "service-secret"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = IdpHttp.json(response);
		assertThat(body.has("refresh_token")).isFalse();
		assertThat(body.get("token_type").stringValue()).isEqualTo("Bearer");
		JWTClaimsSet claims = IdpHttp.verified(idp, body.get("access_token").stringValue()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("service-client");
		assertThat(claims.getStringClaim("client_id")).isEqualTo("service-client");
		assertThat(claims.getStringClaim("scope")).isEqualTo("data:read");
		assertThat(claims.getAudience()).containsExactly(RISK);
		assertThat(claims.getClaim("roles")).isNull();
		assertThat(last()).isEqualTo(new TokenRequest("client_credentials", "service-client", "client_secret_basic",
				List.of(RISK), "data:read", 200, null));
		assertThat(idp.activeAuthorizations("service-client", "service-client")).isPositive();
	}

	@Test
	void clientSecretWhenAuthenticatedTwiceThenStillStoredInClearNotRehashedWithBcrypt() {
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
					IdpHttp.form("grant_type", "client_credentials", "scope", "data:read"), "Authorization",
					HttpExchanges.basic("service-client", "service-secret"));
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}

		// Spring would re-encode it with bcrypt on the first match: ~100 ms of CPU per token request after that
		assertThat(idp.registeredClients().findByClientId("service-client").getClientSecret()).startsWith("{noop}");
	}

	@Test
	void clientCredentialsWhenScopeNotRegisteredThenInvalidScope() {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "client_credentials", "scope", "openid"), "Authorization",
				HttpExchanges.basic("service-client", "service-secret"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_scope");
	}

	@Test
	void clientCredentialsWhenClientLacksTheGrantThenUnauthorizedClient() {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "client_credentials"), "Authorization",
				HttpExchanges.basic("basic-client", "basic-secret"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("unauthorized_client");
	}

	@Test
	void clientCredentialsWhenInvalidResourceThenInvalidTarget() {
		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "client_credentials", "resource", "/relative"), "Authorization",
				HttpExchanges.basic("service-client", "service-secret"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_target");
	}

	@Test
	void privateKeyJwtWhenRs256AssertionThenClientCredentialsToken() throws ParseException {
		HttpResponse<String> response = clientCredentialsWithAssertion(
				ClientJwks.assertion(clientKeys.rsa, "jwt-client", idp.issuer() + "/oauth2/token"), true);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JWTClaimsSet claims = IdpHttp.verified(idp, IdpHttp.json(response).get("access_token").stringValue())
			.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("jwt-client");
		assertThat(claims.getAudience()).containsExactly(RISK);
		assertThat(last().clientAuthenticationMethod()).isEqualTo("private_key_jwt");
		assertThat(last().clientId()).isEqualTo("jwt-client");
	}

	@Test
	void privateKeyJwtWhenEs256AssertionForTheIssuerWithoutClientIdThenToken() {
		HttpResponse<String> response = clientCredentialsWithAssertion(
				ClientJwks.assertion(clientKeys.ec, "jwt-client", idp.issuer()), false);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(last().clientAuthenticationMethod()).isEqualTo("private_key_jwt");
	}

	@Test
	void privateKeyJwtWhenCodeExchangedWithAssertionThenTokens() {
		AuthorizationCode code = HeadlessLogin.builder(idp.issuer())
			.clientId("jwt-client")
			.redirectUri(CALLBACK)
			.scope("data:read")
			.build()
			.authorize("carol", "password");

		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				IdpHttp.form("grant_type", "authorization_code", "code", code.code(), "redirect_uri",
						code.redirectUri(), "code_verifier", code.codeVerifier(), "client_assertion_type",
						ClientAssertionAuthenticationConverter.JWT_BEARER, "client_assertion",
						ClientJwks.assertion(clientKeys.rsa, "jwt-client", idp.issuer() + "/oauth2/token")));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(IdpHttp.json(response).get("refresh_token").stringValue()).isNotBlank();
	}

	@Test
	void privateKeyJwtWhenSignedByAKeyOutsideTheClientsJwkSetThenInvalidClient() {
		RSAKey stranger = IdpHttp.testKey("client-rsa");

		HttpResponse<String> response = clientCredentialsWithAssertion(
				ClientJwks.assertion(stranger, "jwt-client", idp.issuer() + "/oauth2/token"), true);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_client");
	}

	@Test
	void privateKeyJwtWhenAssertionIsForAnotherAudienceThenInvalidClient() {
		HttpResponse<String> response = clientCredentialsWithAssertion(
				ClientJwks.assertion(clientKeys.rsa, "jwt-client", "https://other.example/token"), true);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_client");
	}

	@Test
	void metadataWhenDemoClientsThenTheirScopesGrantAndAuthenticationMethodAreAdvertised() {
		for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
			JsonNode metadata = IdpHttp.json(IdpHttp.get(idp.issuer() + path));

			assertThat(strings(metadata, "scopes_supported")).contains("risk:analyze", "data:read");
			assertThat(strings(metadata, "grant_types_supported")).containsExactly("authorization_code",
					"refresh_token", "client_credentials");
			assertThat(strings(metadata, "token_endpoint_auth_methods_supported")).containsExactly(
					"client_secret_basic", "client_secret_post", "none", "private_key_jwt");
			assertThat(strings(metadata, "token_endpoint_auth_signing_alg_values_supported"))
				.containsExactly("RS256", "ES256");
		}
	}

	@Test
	void consentWhenApprovedThenEveryRequestedScopeIsGranted() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
			.clientId("consent-client")
			.redirectUri(CALLBACK)
			.scope("risk:analyze data:read")
			.resource(RISK)
			.build();

		Tokens tokens = login.login("dave", "password");

		JWTClaimsSet claims = IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet();
		assertThat(claims.getStringClaim("scope")).isEqualTo("data:read risk:analyze");
		assertThat(claims.getAudience()).containsExactly(RISK);
	}

	@Test
	void consentWhenCancelledThenAccessDeniedAndNoGrant() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
			.clientId("consent-client")
			.redirectUri(CALLBACK)
			.scope("risk:analyze")
			.consent(false)
			.build();

		assertThatThrownBy(() -> login.authorize("bob", "password"))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.AUTHORIZATION_RESPONSE);
				assertThat(ex.error()).isEqualTo("access_denied");
			});
		assertThat(idp.activeAuthorizations("consent-client", "bob")).isZero();
	}

	private static HttpResponse<String> clientCredentialsWithAssertion(String assertion, boolean withClientId) {
		List<String> fields = new ArrayList<>(List.of("grant_type", "client_credentials", "scope", "data:read",
				"resource", RISK, "client_assertion_type", ClientAssertionAuthenticationConverter.JWT_BEARER,
				"client_assertion", assertion));
		if (withClientId) {
			fields.addAll(List.of("client_id", "jwt-client"));
		}
		return IdpHttp.postForm(idp.issuer() + "/oauth2/token", IdpHttp.form(fields.toArray(new String[0])));
	}

	private static TokenRequest last() {
		List<TokenRequest> requests = idp.tokenRequests();
		return requests.get(requests.size() - 1);
	}

	private static List<String> strings(JsonNode json, String field) {
		List<String> values = new ArrayList<>();
		json.get(field).forEach((value) -> values.add(value.stringValue()));
		return values;
	}

}
