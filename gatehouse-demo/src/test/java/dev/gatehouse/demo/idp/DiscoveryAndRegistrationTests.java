package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The discovery documents and open RFC 7591 registration.
 */
class DiscoveryAndRegistrationTests {

	private static DemoIdentityProvider idp;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder().scopes("mcp:tools").start();
	}

	@AfterAll
	static void stop() {
		idp.close();
	}

	@Test
	void oauthMetadataWhenFetchedThenAdvertisesS256AndRegistrationEndpoint() {
		HttpResponse<String> response = IdpHttp.get(idp.issuer() + "/.well-known/oauth-authorization-server");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode metadata = IdpHttp.json(response);
		assertThat(metadata.get("issuer").stringValue()).isEqualTo(idp.issuer())
			.isEqualTo("http://127.0.0.1:" + idp.port());
		assertThat(strings(metadata, "code_challenge_methods_supported")).containsExactly("S256");
		assertThat(metadata.get("registration_endpoint").stringValue()).isEqualTo(idp.issuer() + "/register");
		assertThat(metadata.get("token_endpoint").stringValue()).isEqualTo(idp.issuer() + "/oauth2/token");
		assertThat(strings(metadata, "scopes_supported")).containsExactly("openid", "profile", "email", "roles",
				"mcp:tools");
		assertThat(strings(metadata, "grant_types_supported")).containsExactly("authorization_code", "refresh_token");
		assertThat(strings(metadata, "token_endpoint_auth_methods_supported")).contains("none");
		assertThat(metadata.get("tls_client_certificate_bound_access_tokens").booleanValue()).isFalse();
	}

	@Test
	void oidcMetadataWhenFetchedThenAdvertisesS256AndRegistrationEndpoint() {
		HttpResponse<String> response = IdpHttp.get(idp.issuer() + "/.well-known/openid-configuration");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode metadata = IdpHttp.json(response);
		assertThat(metadata.get("issuer").stringValue()).isEqualTo(idp.issuer());
		assertThat(strings(metadata, "code_challenge_methods_supported")).containsExactly("S256");
		assertThat(metadata.get("registration_endpoint").stringValue()).isEqualTo(idp.issuer() + "/register");
		assertThat(metadata.get("userinfo_endpoint").stringValue()).isEqualTo(idp.issuer() + "/userinfo");
		assertThat(metadata.get("jwks_uri").stringValue()).isEqualTo(idp.issuer() + "/oauth2/jwks");
	}

	@Test
	void registerWhenAnonymousPublicClientThenCreatedWithRfc7591Response() {
		HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register", """
				{"client_name": "Claude Code", "redirect_uris": ["http://localhost:33418/callback"],
				 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
				 "token_endpoint_auth_method": "none", "scope": "mcp:tools custom:read"}""");

		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode client = IdpHttp.json(response);
		assertThat(client.get("client_id").stringValue()).isNotBlank();
		assertThat(client.get("client_id_issued_at").isNumber()).isTrue();
		assertThat(client.get("client_name").stringValue()).isEqualTo("Claude Code");
		assertThat(strings(client, "redirect_uris")).containsExactly("http://localhost:33418/callback");
		assertThat(strings(client, "grant_types")).containsExactlyInAnyOrder("authorization_code", "refresh_token");
		assertThat(strings(client, "response_types")).containsExactly("code");
		assertThat(client.get("token_endpoint_auth_method").stringValue()).isEqualTo("none");
		assertThat(client.get("scope").stringValue().split(" ")).containsExactlyInAnyOrder("openid", "profile",
				"email", "roles", "mcp:tools", "custom:read");
		assertThat(client.has("client_secret")).isFalse();
		assertThat(idp.registeredClients().findByClientId(client.get("client_id").stringValue()).getClientSettings()
			.isRequireProofKey()).isTrue();
	}

	@Test
	void registerWhenScopeIsEmptyThenCreatedWithTheDefaultScopes() {
		// What the MCP Inspector's web UI sends when the resource's metadata lists no scopes_supported.
		HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register", """
				{"client_name": "MCP Inspector", "redirect_uris": ["http://localhost:6274/oauth/callback"],
				 "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
				 "token_endpoint_auth_method": "none", "scope": ""}""");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(IdpHttp.json(response).get("scope").stringValue().split(" ")).containsExactlyInAnyOrder("openid",
				"profile", "email", "roles", "mcp:tools");
	}

	@Test
	void registerWhenScopeIsBlankOrNullThenCreatedWithTheDefaultScopes() {
		for (String scope : new String[] { "\"  \"", "null" }) {
			HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register",
					"{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"token_endpoint_auth_method\": \"none\", \"scope\": "
							+ scope + "}");

			assertThat(response.statusCode()).as(scope + ": " + response.body()).isEqualTo(201);
			assertThat(IdpHttp.json(response).get("scope").stringValue()).contains("openid");
		}
	}

	@Test
	void registerWhenNoScopeThenCreatedWithTheDefaultScopes() {
		HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register",
				"{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"token_endpoint_auth_method\": \"none\"}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(IdpHttp.json(response).get("scope").stringValue().split(" ")).containsExactlyInAnyOrder("openid",
				"profile", "email", "roles", "mcp:tools");
	}

	@Test
	void registerWhenBodyIsNotJsonThenInvalidRequest() {
		assertRefused("not json", "invalid_request");
	}

	@Test
	void registerWhenConfidentialClientThenSecretThatNeverExpiresAndWorks() {
		HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register", """
				{"redirect_uris": ["https://agent.example/callback"],
				 "grant_types": ["authorization_code", "refresh_token"]}""");

		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode client = IdpHttp.json(response);
		assertThat(client.get("token_endpoint_auth_method").stringValue()).isEqualTo("client_secret_basic");
		assertThat(client.get("client_secret_expires_at").asLong()).isZero();
		HeadlessLogin.Tokens tokens = HeadlessLogin.builder(idp.issuer())
			.clientId(client.get("client_id").stringValue())
			.clientSecret(client.get("client_secret").stringValue())
			.redirectUri("https://agent.example/callback")
			.build()
			.login("bob", "password");
		assertThat(tokens.refreshToken()).isNotNull();
	}

	@Test
	void registerWhenRedirectUriIsPlainHttpOnAnotherHostThenInvalidRedirectUri() {
		assertRefused("{\"redirect_uris\": [\"http://agent.example/callback\"], \"token_endpoint_auth_method\": \"none\"}",
				"invalid_redirect_uri");
	}

	@Test
	void registerWhenRedirectUriHasFragmentThenInvalidRedirectUri() {
		assertRefused("{\"redirect_uris\": [\"http://127.0.0.1/cb#x\"], \"token_endpoint_auth_method\": \"none\"}",
				"invalid_redirect_uri");
	}

	@Test
	void registerWhenRedirectUriHasCustomSchemeThenInvalidRedirectUri() {
		assertRefused("{\"redirect_uris\": [\"javascript:alert(1)\"], \"token_endpoint_auth_method\": \"none\"}",
				"invalid_redirect_uri");
	}

	@Test
	void registerWhenNoRedirectUrisThenInvalidRedirectUri() {
		assertRefused("{\"client_name\": \"x\", \"token_endpoint_auth_method\": \"none\"}", "invalid_redirect_uri");
	}

	@Test
	void registerWhenClientCredentialsGrantThenInvalidClientMetadata() {
		assertRefused("{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"grant_types\": [\"client_credentials\"]}",
				"invalid_client_metadata");
	}

	@Test
	void registerWhenPrivateKeyJwtThenInvalidClientMetadata() {
		assertRefused("{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"token_endpoint_auth_method\": \"private_key_jwt\"}",
				"invalid_client_metadata");
	}

	@Test
	void registerWhenImplicitResponseTypeThenInvalidClientMetadata() {
		assertRefused("{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"response_types\": [\"token\"]}",
				"invalid_client_metadata");
	}

	@Test
	void registerWhenScopeIsNotAScopeTokenThenInvalidClientMetadata() {
		assertRefused("{\"redirect_uris\": [\"http://127.0.0.1/cb\"], \"scope\": \"bad\\\"scope\"}",
				"invalid_client_metadata");
	}

	@Test
	void headlessRegisterWhenRefusedThenRegistrationStepWithError() {
		HeadlessLogin login = HeadlessLogin.builder(idp.issuer()).build();

		assertThatThrownBy(() -> login.register("http://agent.example/callback"))
			.isInstanceOfSatisfying(HeadlessLoginException.class, (ex) -> {
				assertThat(ex.step()).isEqualTo(HeadlessLoginException.Step.REGISTRATION);
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.error()).isEqualTo("invalid_redirect_uri");
			});
	}

	@Test
	void corsWhenBrowserClientPreflightsTokenEndpointThenAllowed() {
		HttpResponse<String> response = IdpHttp.send(HttpRequest.newBuilder(URI.create(idp.issuer() + "/oauth2/token"))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "http://localhost:6274")
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type")
			.build());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
	}

	private static void assertRefused(String request, String error) {
		HttpResponse<String> response = IdpHttp.postJson(idp.issuer() + "/register", request);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(IdpHttp.json(response).get("error").stringValue()).isEqualTo(error);
	}

	private static List<String> strings(JsonNode json, String field) {
		List<String> values = new ArrayList<>();
		json.get(field).forEach((value) -> values.add(value.stringValue()));
		return values;
	}

}
