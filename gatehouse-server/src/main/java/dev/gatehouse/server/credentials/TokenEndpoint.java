package dev.gatehouse.server.credentials;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.core.oauth.CodeVerifier;
import dev.gatehouse.core.oauth.OAuthError;
import dev.gatehouse.core.oauth.TokenResponses;
import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.OAuthHttp.OAuthHttpException;
import dev.gatehouse.server.credentials.TokenEndpointException.Kind;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The gateway's requests to a token endpoint (RFC 6749 §4.1.3, §6, §4.4) and revocation endpoint (RFC 7009).
 * Every request carries the target's RFC 8707 {@code resource}. With a secret-based client authentication, the
 * current secret is tried first and, if the server answers {@code invalid_client}, the previous one (during a
 * client secret rotation). Nothing here logs a token, code, verifier or secret.
 */
@Component
final class TokenEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(TokenEndpoint.class);

	private final OAuthHttp http;

	private final ClientAssertions assertions;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	TokenEndpoint(OAuthHttp http, ClientAssertions assertions, Clock clock, GatehouseProperties properties) {
		this.http = http;
		this.assertions = assertions;
		this.clock = clock;
		this.properties = properties.oauth();
	}

	/** Exchanges an authorization code (with its PKCE verifier) for tokens. */
	TokenSet exchangeCode(TargetAuthorization auth, OAuthClient client, String code, CodeVerifier verifier,
			URI redirectUri, List<String> scopes) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", redirectUri.toString());
		form.put("code_verifier", verifier.value().reveal());
		form.put("resource", auth.resource().toString());
		return request(auth, client, form, scopes);
	}

	/** Refreshes: the same resource, no scope parameter (the grant's scopes stay as they are). */
	TokenSet refresh(TargetAuthorization auth, OAuthClient client, Secret refreshToken, List<String> scopes) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "refresh_token");
		form.put("refresh_token", refreshToken.reveal());
		form.put("resource", auth.resource().toString());
		return request(auth, client, form, scopes);
	}

	/** A client-credentials token for the target itself (machine to machine). */
	TokenSet clientCredentials(TargetAuthorization auth, OAuthClient client, List<String> scopes) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		if (!scopes.isEmpty()) {
			form.put("scope", String.join(" ", scopes));
		}
		form.put("resource", auth.resource().toString());
		return request(auth, client, form, scopes);
	}

	/**
	 * Revokes a token at the server's RFC 7009 endpoint. The server answers 200 even for unknown tokens.
	 * @throws TokenEndpointException when the server refused or could not be reached
	 */
	void revoke(TargetAuthorization auth, OAuthClient client, Secret token, String hint) {
		URI endpoint = auth.revocationEndpoint();
		if (endpoint == null) {
			return;
		}
		Map<String, String> form = new LinkedHashMap<>();
		form.put("token", token.reveal());
		form.put("token_type_hint", hint);
		OAuthHttp.Response response = send(endpoint, auth, client, form);
		if (!response.ok()) {
			OAuthError error = TokenResponses.error(response.body());
			throw new TokenEndpointException(response.status() >= 500 ? Kind.TRANSIENT : Kind.REFUSED, error,
					"the revocation endpoint of " + endpoint.getRawAuthority() + " answered " + response.status()
							+ ((error != null) ? " (" + error.describe() + ")" : ""));
		}
	}

	private TokenSet request(TargetAuthorization auth, OAuthClient client, Map<String, String> form,
			List<String> scopes) {
		OAuthHttp.Response response = send(auth.tokenEndpoint(), auth, client, form);
		if (response.ok()) {
			if (response.body() == null) {
				throw new TokenEndpointException(Kind.INVALID_RESPONSE, null,
						"the token endpoint of " + host(auth) + " answered without a JSON body");
			}
			try {
				return TokenResponses.success(response.body(), clock.instant(), properties.defaultTokenLifetime(), scopes);
			}
			catch (TokenResponses.InvalidTokenResponseException ex) {
				throw new TokenEndpointException(Kind.INVALID_RESPONSE, null, ex.getMessage());
			}
		}
		throw refusal(auth, response);
	}

	/** Sends with each candidate client secret in turn while the server refuses the client. */
	private OAuthHttp.Response send(URI endpoint, TargetAuthorization auth, OAuthClient client,
			Map<String, String> form) {
		List<Secret> secrets = secrets(client.authentication());
		for (int i = 0;; i++) {
			Map<String, String> body = new LinkedHashMap<>(form);
			Map<String, String> headers = new LinkedHashMap<>();
			authenticate(client, (i < secrets.size()) ? secrets.get(i) : null, auth, body, headers);
			OAuthHttp.Response response;
			try {
				response = http.postForm(endpoint, body, headers);
			}
			catch (OAuthHttpException ex) {
				throw new TokenEndpointException(ex.isTransient() ? Kind.TRANSIENT : Kind.REFUSED, null,
						"the authorization server of target '" + auth.target() + "': " + ex.getMessage());
			}
			OAuthError error = TokenResponses.error(response.body());
			boolean clientRefused = error != null && OAuthError.INVALID_CLIENT.equals(error.code());
			if (!clientRefused || i + 1 >= secrets.size()) {
				if (i > 0 && !clientRefused) {
					logger.warn("Target '{}': the authorization server accepted only the previous client secret; "
							+ "update the secret there, or the previous one expires", auth.target());
				}
				return response;
			}
		}
	}

	private void authenticate(OAuthClient client, @Nullable Secret secret, TargetAuthorization auth,
			Map<String, String> body, Map<String, String> headers) {
		ClientAuthentication authentication = client.authentication();
		if (authentication instanceof ClientAuthentication.ClientSecretBasic) {
			String credentials = encode(client.clientId()) + ":" + encode(java.util.Objects.requireNonNull(secret).reveal());
			headers.put("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		else if (authentication instanceof ClientAuthentication.ClientSecretPost) {
			body.put("client_id", client.clientId());
			body.put("client_secret", java.util.Objects.requireNonNull(secret).reveal());
		}
		else if (authentication instanceof ClientAuthentication.PrivateKeyJwt) {
			body.put("client_id", client.clientId());
			body.putAll(assertions.parameters(client.clientId(), auth.issuer(), auth.tokenEndpoint()));
		}
		else {
			body.put("client_id", client.clientId());
		}
	}

	private static List<Secret> secrets(ClientAuthentication authentication) {
		if (authentication instanceof ClientAuthentication.ClientSecretBasic basic) {
			return basic.secrets();
		}
		if (authentication instanceof ClientAuthentication.ClientSecretPost post) {
			return post.secrets();
		}
		return List.of();
	}

	private static TokenEndpointException refusal(TargetAuthorization auth, OAuthHttp.Response response) {
		OAuthError error = TokenResponses.error(response.body());
		String what = "the token endpoint of " + host(auth) + " answered " + response.status()
				+ ((error != null) ? " (" + error.describe() + ")" : "");
		if (response.status() >= 500 || response.status() == 429 || (error != null
				&& (OAuthError.TEMPORARILY_UNAVAILABLE.equals(error.code()) || OAuthError.SERVER_ERROR.equals(error.code())))) {
			return new TokenEndpointException(Kind.TRANSIENT, error, what);
		}
		if (error == null) {
			return new TokenEndpointException(Kind.INVALID_RESPONSE, null, what);
		}
		return switch (error.code()) {
			case OAuthError.INVALID_GRANT -> new TokenEndpointException(Kind.GRANT_REFUSED, error, what);
			case OAuthError.INVALID_CLIENT, "unauthorized_client" -> new TokenEndpointException(Kind.CLIENT_REFUSED,
					error, what);
			default -> new TokenEndpointException(Kind.REFUSED, error, what);
		};
	}

	/** RFC 6749 §2.3.1: the client id and secret are form-URL-encoded before Basic encoding. */
	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String host(TargetAuthorization auth) {
		return auth.tokenEndpoint().getScheme() + "://" + auth.tokenEndpoint().getRawAuthority();
	}
}
