package dev.gatehouse.demo.idp;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.gatehouse.demo.idp.HeadlessLogin.AuthorizationCode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9207: the {@code iss} authorization response parameter on success and error
 * redirects, announced in both metadata documents, and switched off.
 */
class AuthorizationResponseIssTests {

	private static final List<String> METADATA = List.of("/.well-known/oauth-authorization-server",
			"/.well-known/openid-configuration");

	@Test
	void authorizeWhenCodeIssuedThenResponseCarriesTheIssuer() {
		try (DemoIdentityProvider idp = DemoIdentityProvider.builder().start()) {
			AuthorizationCode code = HeadlessLogin.builder(idp.issuer()).build().authorize("alice", "password");

			assertThat(code.issuer()).isEqualTo(idp.issuer());
		}
	}

	@Test
	void authorizeWhenErrorRedirectThenResponseCarriesTheIssuerEncoded() {
		try (DemoIdentityProvider idp = DemoIdentityProvider.builder().start()) {
			String location = errorRedirect(idp);

			assertThat(location).contains("iss=http%3A%2F%2F127.0.0.1%3A" + idp.port());
			Map<String, String> parameters = IdpHttp.query(location);
			assertThat(parameters).containsEntry("error", "invalid_request")
				.containsEntry("state", "s1")
				.containsEntry("iss", idp.issuer());
		}
	}

	@Test
	void metadataWhenIssEnabledThenBothDocumentsAnnounceIt() {
		try (DemoIdentityProvider idp = DemoIdentityProvider.builder().start()) {
			for (String path : METADATA) {
				JsonNode metadata = IdpHttp.json(IdpHttp.get(idp.issuer() + path));

				assertThat(metadata.get("authorization_response_iss_parameter_supported").booleanValue()).as(path)
					.isTrue();
			}
		}
	}

	@Test
	void authorizeWhenIssDisabledThenNoIssAnywhere() {
		try (DemoIdentityProvider idp = DemoIdentityProvider.builder().authorizationResponseIss(false).start()) {
			AuthorizationCode code = HeadlessLogin.builder(idp.issuer()).build().authorize("alice", "password");

			assertThat(code.issuer()).isNull();
			assertThat(IdpHttp.query(errorRedirect(idp))).containsEntry("error", "invalid_request")
				.doesNotContainKey("iss");
			for (String path : METADATA) {
				assertThat(IdpHttp.json(IdpHttp.get(idp.issuer() + path))
					.has("authorization_response_iss_parameter_supported")).as(path).isFalse();
			}
		}
	}

	/** A public client's request without PKCE: refused before login, back to the client. */
	private static String errorRedirect(DemoIdentityProvider idp) {
		String clientId = HeadlessLogin.builder(idp.issuer()).build().register("http://127.0.0.1/callback");
		HttpResponse<String> response = IdpHttp.get(idp.issuer() + "/oauth2/authorize?response_type=code&client_id="
				+ clientId + "&redirect_uri=http://127.0.0.1/callback&scope=openid&state=s1");
		assertThat(response.statusCode()).isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

}
