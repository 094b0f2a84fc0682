package dev.gatehouse.core.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An authorization code request (RFC 6749 §4.1.1) as the gateway sends it: always PKCE {@code S256}, always a
 * {@code state}, and the RFC 8707 {@code resource} of the target, so that the token is bound to that target.
 *
 * @param authorizationEndpoint the server's endpoint (its query, if any, is kept)
 * @param clientId the gateway's client id at that server
 * @param redirectUri the per-target callback {@code {public-url}/oauth/callback/{target}}
 * @param scopes the scopes asked for (omitted from the request when empty)
 * @param state the single-use value bound to the browser
 * @param challenge the PKCE challenge of this transaction's verifier
 * @param resource the target's resource indicator
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8707#section-2.1">RFC 8707 §2.1</a>
 */
public record AuthorizationRequest(URI authorizationEndpoint, String clientId, URI redirectUri, List<String> scopes,
		String state, PkceChallenge challenge, URI resource) {

	public AuthorizationRequest {
		Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint must not be null");
		Objects.requireNonNull(clientId, "clientId must not be null");
		Objects.requireNonNull(redirectUri, "redirectUri must not be null");
		Objects.requireNonNull(state, "state must not be null");
		Objects.requireNonNull(challenge, "challenge must not be null");
		Objects.requireNonNull(resource, "resource must not be null");
		scopes = List.copyOf(scopes);
	}

	/** The URL the browser is redirected to. */
	public URI toUri() {
		Map<String, String> params = new LinkedHashMap<>();
		params.put("response_type", "code");
		params.put("client_id", clientId);
		params.put("redirect_uri", redirectUri.toString());
		if (!scopes.isEmpty()) {
			params.put("scope", String.join(" ", scopes));
		}
		params.put("state", state);
		params.put("code_challenge", challenge.value());
		params.put("code_challenge_method", challenge.method());
		params.put("resource", resource.toString());
		String base = authorizationEndpoint.toString();
		StringBuilder url = new StringBuilder(base).append(base.contains("?") ? '&' : '?');
		params.forEach((name, value) -> url.append(name).append('=').append(encode(value)).append('&'));
		url.setLength(url.length() - 1);
		return URI.create(url.toString());
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}
}
