package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;
import dev.gatehouse.demo.idp.HeadlessLogin.Tokens;
import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The authorization code flow with PKCE, driven by {@link HeadlessLogin}, against a real
 * {@link DemoIdentityProvider}: token format and claims, PKCE, RFC 8707 audiences,
 * refresh token rotation, the gateway's confidential client, consent.
 */
class AuthorizationCodeFlowTests {

	private static final String MCP = "http://127.0.0.1:8080/mcp";

	private static final String OTHER = "https://other.example/mcp";

	private static final String GATEWAY_REDIRECT = "http://localhost:8080/login/oauth2/code/idp";

	private static final RSAKey KEY = IdpHttp.testKey("test-key-1");

	private static DemoIdentityProvider idp;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder()
			.signingKey(KEY)
			.accessTokenTtl(Duration.ofMinutes(2))
			.gatewayClient("gatehouse-web", "web-secret", List.of(GATEWAY_REDIRECT))
			.start();
	}

	@AfterAll
	static void stop() {
		idp.close();
	}

	@Test
	void loginWhenAliceWithResourceThenAtJwtForThatAudienceWithRoles() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP).build();

		Tokens tokens = login.login("alice", "password");

		SignedJWT jwt = IdpHttp.verified(idp, tokens.accessToken());
		assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("test-key-1");
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getIssuer()).isEqualTo(idp.issuer());
		assertThat(claims.getAudience()).containsExactly(MCP);
		assertThat(claims.getStringListClaim("roles")).containsExactly("risk-analyst");
		assertThat(claims.getStringListClaim("groups")).containsExactly("risk");
		assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
		assertThat(claims.getStringClaim("client_id")).isEqualTo(login.clientId());
		assertThat(claims.getStringClaim("scope")).isEqualTo("email openid profile roles");
		assertThat(claims.getJWTID()).isNotBlank();
		assertThat(claims.getNotBeforeTime()).isEqualTo(claims.getIssueTime());
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofMinutes(2));
		assertThat(tokens.expiresIn()).isBetween(100L, 120L);
		assertThat(tokens.scope()).contains("openid");
	}

	@Test
	void loginWhenOneResourceThenAudIsSerializedAsString() {
		Tokens tokens = HeadlessLogin.builder(idp.issuer()).resource(MCP).build().login("bob", "password");

		JsonNode payload = IdpHttp.payload(tokens.accessToken());
		assertThat(payload.get("aud").isString()).isTrue();
		assertThat(payload.get("roles").isArray()).isTrue();
		assertThat(payload.get("scope").isString()).isTrue();
	}

	@Test
	void loginWhenSeveralResourcesThenAllAreTheAudience() throws ParseException {
		Tokens tokens = HeadlessLogin.builder(idp.issuer()).resource(MCP, OTHER).build().login("carol", "password");

		JWTClaimsSet claims = IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly(MCP, OTHER);
		assertThat(claims.getStringListClaim("roles")).containsExactly("admin");
	}

	@Test
	void loginWhenNoResourceThenAudienceIsTheClientId() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();

		Tokens tokens = login.login("dave", "password");

		JWTClaimsSet claims = IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly(login.clientId());
		assertThat(claims.getStringListClaim("roles")).isEmpty();
		assertThat(claims.getStringListClaim("groups")).isEmpty();
	}

	@Test
	void loginWhenOpenIdThenIdTokenCarriesRolesGroupsAndEmail() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP).build();

		Tokens tokens = login.login("alice", "password");

		SignedJWT idToken = IdpHttp.verified(idp, tokens.idToken());
		JWTClaimsSet claims = idToken.getJWTClaimsSet();
		assertThat(idToken.getHeader().getType()).isNull();
		assertThat(claims.getAudience()).containsExactly(login.clientId());
		assertThat(claims.getStringClaim("email")).isEqualTo("alice@example.com");
		assertThat(claims.getStringClaim("preferred_username")).isEqualTo("alice");
		assertThat(claims.getStringListClaim("roles")).containsExactly("risk-analyst");
		assertThat(claims.getStringListClaim("groups")).containsExactly("risk");
	}

	@Test
	void loginWhenWrongPasswordThenLoginStepFails() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();

		assertThatThrownBy(() -> login.login("alice", "wrong")).isInstanceOfSatisfying(HeadlessLoginException.class,
				(ex) -> {
					assertThat(ex.step()).isEqualTo(Step.LOGIN);
					assertThat(ex.status()).isEqualTo(302);
					assertThat(ex.getMessage()).doesNotContain("wrong");
				});
	}

	@Test
	void tokenRequestWhenPublicClientOmitsCodeVerifierThenInvalidClient() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();
		AuthorizationCode code = login.authorize("alice", "password");

		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				form("grant_type", "authorization_code", "code", code.code(), "redirect_uri", code.redirectUri(),
						"client_id", login.clientId()));

		// Spring authenticates a public client by its code_verifier: without one, the
		// client is not authenticated at all, and the endpoint answers a bare 401.
		assertThat(response.statusCode()).as(response.body() + response.headers().map()).isEqualTo(401);
		assertThat(response.body()).isEmpty();
		assertThat(login.exchange(code).accessToken()).isNotBlank();
	}

	@Test
	void tokenRequestWhenConfidentialClientUsedPkceButOmitsCodeVerifierThenInvalidGrant() {
		AuthorizationCode code = gatewayLogin("web-secret").authorize("bob", "password");

		HttpResponse<String> response = IdpHttp.send(HttpRequest.newBuilder(URI.create(idp.issuer() + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", HttpExchanges.basic("gatehouse-web", "web-secret"))
			.POST(HttpRequest.BodyPublishers.ofString(HttpExchanges.encode(form("grant_type", "authorization_code",
					"code", code.code(), "redirect_uri", code.redirectUri()))))
			.build());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_grant");
	}

	@Test
	void tokenRequestWhenDPoPProofThenAccessTokenIsBoundToItsKey() throws Exception {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP).build();
		AuthorizationCode code = login.authorize("alice", "password");
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		SignedJWT proof = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
					.jwk(key.toPublicJWK())
					.build(),
				new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
					.claim("htm", "POST")
					.claim("htu", idp.issuer() + "/oauth2/token")
					.issueTime(new Date())
					.build());
		proof.sign(new ECDSASigner(key));

		HttpResponse<String> response = IdpHttp.send(HttpRequest.newBuilder(URI.create(idp.issuer() + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("DPoP", proof.serialize())
			.POST(HttpRequest.BodyPublishers.ofString(HttpExchanges.encode(form("grant_type", "authorization_code",
					"code", code.code(), "redirect_uri", code.redirectUri(), "code_verifier", code.codeVerifier(),
					"client_id", login.clientId(), "resource", MCP))))
			.build());

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = IdpHttp.json(response);
		assertThat(body.get("token_type").stringValue()).isEqualTo("DPoP");
		JWTClaimsSet claims = IdpHttp.verified(idp, body.get("access_token").stringValue()).getJWTClaimsSet();
		assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", key.computeThumbprint().toString());
		assertThat(claims.getAudience()).containsExactly(MCP);
	}

	@Test
	void tokenRequestWhenCodeVerifierWrongThenInvalidGrantAndCodeStillUnused() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();
		AuthorizationCode code = login.authorize("alice", "password");

		assertThatThrownBy(() -> login.exchange(new AuthorizationCode(code.code(),
				Pkce.generate(new SecureRandom()).verifier(), code.redirectUri())))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.TOKEN);
				assertThat(ex.error()).isEqualTo("invalid_grant");
			});
		assertThat(login.exchange(code).accessToken()).isNotBlank();
	}

	@Test
	void authorizeWhenPublicClientSendsNoCodeChallengeThenInvalidRequest() {
		String clientId = HeadlessLogin.builder(idp.issuer()).build().register("http://127.0.0.1/callback");

		HttpResponse<String> response = IdpHttp.get(idp.issuer() + "/oauth2/authorize?response_type=code&client_id="
				+ clientId + "&redirect_uri=http://127.0.0.1/callback&scope=openid&state=s1");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("http://127.0.0.1/callback?")
			.contains("error=invalid_request")
			.contains("state=s1");
	}

	@Test
	void authorizeWhenCodeChallengeMethodPlainThenInvalidRequest() {
		String clientId = HeadlessLogin.builder(idp.issuer()).build().register("http://127.0.0.1/callback");

		HttpResponse<String> response = IdpHttp.get(idp.issuer() + "/oauth2/authorize?response_type=code&client_id="
				+ clientId + "&redirect_uri=http://127.0.0.1/callback&scope=openid&code_challenge=abc"
				+ "&code_challenge_method=plain");

		assertThat(response.headers().firstValue("Location").orElseThrow()).contains("error=invalid_request");
	}

	@Test
	void authorizeWhenResourceHasFragmentThenInvalidTargetBeforeLogin() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP + "#fragment").build();

		assertThatThrownBy(() -> login.authorize("alice", "password"))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.AUTHORIZATION_RESPONSE);
				assertThat(ex.error()).isEqualTo("invalid_target");
			});
	}

	@Test
	void authorizeWhenResourceIsRelativeThenInvalidTarget() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource("/mcp").build();

		assertThatThrownBy(() -> login.login("alice", "password")).isInstanceOfSatisfying(HeadlessLoginException.class,
				(ex) -> assertThat(ex.error()).isEqualTo("invalid_target"));
	}

	@Test
	void tokenRequestWhenResourceNotInAuthorizationRequestThenInvalidTarget() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP).build();
		AuthorizationCode code = login.authorize("alice", "password");
		HeadlessLogin otherResource = HeadlessLogin.builder(idp.issuer())
			.clientId(login.clientId())
			.resource(OTHER)
			.build();

		assertThatThrownBy(() -> otherResource.exchange(code)).isInstanceOfSatisfying(HeadlessLoginException.class,
				(ex) -> {
					assertThat(ex.step()).isEqualTo(Step.TOKEN);
					assertThat(ex.status()).isEqualTo(400);
					assertThat(ex.error()).isEqualTo("invalid_target");
				});
	}

	@Test
	void tokenRequestWhenResourceIsInvalidThenInvalidTarget() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();
		AuthorizationCode code = login.authorize("alice", "password");

		HttpResponse<String> response = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				form("grant_type", "authorization_code", "code", code.code(), "redirect_uri", code.redirectUri(),
						"code_verifier", code.codeVerifier(), "client_id", login.clientId(), "resource", "not a uri"));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo("invalid_target");
	}

	@Test
	void refreshWhenUsedThenRotatesTokenKeepsAudienceAndRefusesTheOldOne() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP, OTHER).build();
		Tokens first = login.login("alice", "password");

		Tokens second = login.refresh(first.refreshToken(), null);

		assertThat(second.refreshToken()).isNotNull().isNotEqualTo(first.refreshToken());
		JWTClaimsSet claims = IdpHttp.verified(idp, second.accessToken()).getJWTClaimsSet();
		assertThat(claims.getAudience()).containsExactly(MCP, OTHER);
		assertThat(claims.getStringListClaim("roles")).containsExactly("risk-analyst");
		assertThat(IdpHttp.verified(idp, second.accessToken()).getHeader().getType().toString()).isEqualTo("at+jwt");
		assertThatThrownBy(() -> login.refresh(first.refreshToken(), null))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.REFRESH);
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.error()).isEqualTo("invalid_grant");
			});
	}

	@Test
	void refreshWhenResourceGivenThenAudienceNarrowedAndKeptOnTheNextRefresh() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP, OTHER).build();
		Tokens first = login.login("bob", "password");

		Tokens narrowed = login.refresh(first.refreshToken(), OTHER);
		Tokens next = login.refresh(narrowed.refreshToken(), null);

		assertThat(IdpHttp.verified(idp, narrowed.accessToken()).getJWTClaimsSet().getAudience())
			.containsExactly(OTHER);
		assertThat(IdpHttp.verified(idp, next.accessToken()).getJWTClaimsSet().getAudience()).containsExactly(OTHER);
	}

	@Test
	void refreshWhenResourceNotGrantedThenInvalidTargetAndTokenStillValid() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).resource(MCP).build();
		Tokens first = login.login("bob", "password");

		assertThatThrownBy(() -> login.refresh(first.refreshToken(), OTHER))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.REFRESH);
				assertThat(ex.error()).isEqualTo("invalid_target");
			});
		assertThat(login.refresh(first.refreshToken(), null).accessToken()).isNotBlank();
	}

	@Test
	void refreshWhenGrantHadNoResourceThenAResourceIsInvalidTarget() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();
		Tokens first = login.login("dave", "password");

		assertThatThrownBy(() -> login.refresh(first.refreshToken(), MCP))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.error()).isEqualTo("invalid_target");
			});
	}

	@Test
	void refreshWhenResourceFirstNamedOnTheTokenRequestThenItCanBeKeptButNotWidened() throws ParseException {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();
		AuthorizationCode code = login.authorize("alice", "password");
		HttpResponse<String> exchanged = IdpHttp.postForm(idp.issuer() + "/oauth2/token",
				form("grant_type", "authorization_code", "code", code.code(), "redirect_uri", code.redirectUri(),
						"code_verifier", code.codeVerifier(), "client_id", login.clientId(), "resource", MCP));
		String refreshToken = IdpHttp.json(exchanged).get("refresh_token").stringValue();

		Tokens refreshed = login.refresh(refreshToken, MCP);

		assertThat(IdpHttp.verified(idp, refreshed.accessToken()).getJWTClaimsSet().getAudience())
			.containsExactly(MCP);
		assertThatThrownBy(() -> login.refresh(refreshed.refreshToken(), OTHER))
			.isInstanceOfSatisfying(HeadlessLoginException.class,
					(ex) -> assertThat(ex.error()).isEqualTo("invalid_target"));
	}

	@Test
	void gatewayClientWhenLoginThenIdTokenAndUserInfoCarryRoles() throws ParseException {
		Tokens tokens = gatewayLogin("web-secret").login("bob", "password");

		JWTClaimsSet idToken = IdpHttp.verified(idp, tokens.idToken()).getJWTClaimsSet();
		assertThat(idToken.getAudience()).containsExactly("gatehouse-web");
		assertThat(idToken.getStringListClaim("roles")).containsExactly("finance-analyst");
		assertThat(idToken.getStringClaim("email")).isEqualTo("bob@example.com");
		HttpResponse<String> userInfo = IdpHttp.get(idp.issuer() + "/userinfo", "Authorization",
				"Bearer " + tokens.accessToken());
		assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
		JsonNode claims = IdpHttp.json(userInfo);
		assertThat(claims.get("sub").stringValue()).isEqualTo("bob");
		assertThat(claims.get("email").stringValue()).isEqualTo("bob@example.com");
		assertThat(claims.get("roles").get(0).stringValue()).isEqualTo("finance-analyst");
		assertThat(claims.get("groups").get(0).stringValue()).isEqualTo("finance");
	}

	@Test
	void gatewayClientWhenWrongSecretThenTokenRequestRefused() {
		HeadlessLogin login = gatewayLogin("not-the-secret");

		assertThatThrownBy(() -> login.login("bob", "password")).isInstanceOfSatisfying(HeadlessLoginException.class,
				(ex) -> {
					assertThat(ex.step()).isEqualTo(Step.TOKEN);
					assertThat(ex.status()).isEqualTo(401);
				});
	}

	@Test
	void loginWhenClientRequiresConsentThenConsentFormIsPosted() throws ParseException {
		RegisteredClient client = RegisteredClient.withId("consent-client")
			.clientId("consent-client")
			.clientIdIssuedAt(Instant.EPOCH)
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("http://127.0.0.1/callback")
			.scope("roles")
			.scope("custom:read")
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build())
			.build();
		idp.registeredClients().save(client);
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).clientId("consent-client").scope("roles custom:read")
			.build();

		Tokens tokens = login.login("carol", "password");

		assertThat(IdpHttp.verified(idp, tokens.accessToken()).getJWTClaimsSet().getStringClaim("scope"))
			.isEqualTo("custom:read roles");
	}

	@Test
	void loginWhenScopeNotRegisteredThenInvalidScopeRedirect() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).scope("openid admin:everything").build();

		assertThatThrownBy(() -> login.login("carol", "password"))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(Step.AUTHORIZATION_RESPONSE);
				assertThat(ex.error()).isEqualTo("invalid_scope");
			});
	}

	private static HeadlessLogin gatewayLogin(String secret) {
		return HeadlessLogin.builder(idp.issuer())
			.clientId("gatehouse-web")
			.clientSecret(secret)
			.redirectUri(GATEWAY_REDIRECT)
			.build();
	}

	private static Map<String, List<String>> form(String... pairs) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			fields.put(pairs[i], List.of(pairs[i + 1]));
		}
		return fields;
	}

}
