package dev.gatehouse.core.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.UrlRules;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's client registration at one authorization server, from a dynamic registration response
 * (RFC 7591 §3.2.1). Registrations are kept per issuer and target and never used at another issuer.
 *
 * @param issuer the authorization server it was made at
 * @param clientId the issued client id
 * @param clientSecret the issued secret, or {@code null} for a public client
 * @param secretExpiresAt when the secret expires, or {@code null} for never ({@code client_secret_expires_at: 0})
 * @param tokenEndpointAuthMethod how to authenticate at the token endpoint
 * @param redirectUris the registered redirect URIs
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7591#section-3.2.1">RFC 7591 §3.2.1</a>
 */
public record ClientRegistration(String issuer, String clientId, @Nullable Secret clientSecret,
		@Nullable Instant secretExpiresAt, String tokenEndpointAuthMethod, List<String> redirectUris) {

	public ClientRegistration {
		Objects.requireNonNull(issuer, "issuer must not be null");
		Objects.requireNonNull(clientId, "clientId must not be null");
		Objects.requireNonNull(tokenEndpointAuthMethod, "tokenEndpointAuthMethod must not be null");
		redirectUris = List.copyOf(redirectUris);
	}

	/**
	 * Reads a registration response.
	 * @param requestedAuthMethod the method asked for; the server's answer wins when it gives one
	 * @throws InvalidMetadataException when the response lacks a client id, or omits a secret the method needs
	 */
	public static ClientRegistration parse(JsonNode json, String issuer, String requestedAuthMethod, UrlRules urls) {
		MetadataReader reader = new MetadataReader(json, "the client registration response of " + issuer, urls);
		String clientId = reader.requiredText("client_id");
		String method = (reader.text("token_endpoint_auth_method") != null)
				? reader.text("token_endpoint_auth_method") : requestedAuthMethod;
		String secret = reader.text("client_secret");
		if (secret == null && (method.startsWith("client_secret_"))) {
			throw new InvalidMetadataException("the client registration response of " + issuer
					+ " has no client_secret although the method is " + method);
		}
		Instant expiresAt = null;
		JsonNode expires = json.get("client_secret_expires_at");
		if (expires != null && expires.isIntegralNumber() && expires.longValue() > 0) {
			expiresAt = Instant.ofEpochSecond(expires.longValue());
		}
		return new ClientRegistration(issuer, clientId, (secret != null) ? Secret.of(secret) : null, expiresAt,
				method, reader.strings("redirect_uris"));
	}

	@Override
	public String toString() {
		return "ClientRegistration[issuer=" + issuer + ", clientId=" + clientId + ", method=" + tokenEndpointAuthMethod
				+ "]";
	}

	/** Whether the issued secret has expired at {@code now} (so a new registration is needed). */
	public boolean secretExpired(Instant now) {
		return secretExpiresAt != null && !now.isBefore(secretExpiresAt);
	}

	/** For callers that keep only the redirect URIs' text. */
	public boolean registered(URI redirectUri) {
		return redirectUris.isEmpty() || redirectUris.contains(redirectUri.toString());
	}
}
