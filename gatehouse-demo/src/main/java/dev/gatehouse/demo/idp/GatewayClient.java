package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.Objects;

/**
 * The pre-registered confidential client of the gateway's OIDC login.
 *
 * @param clientId the client id
 * @param secret the client secret, in clear (never logged: {@link #toString()} redacts
 * it)
 * @param redirectUris the exact redirect URIs, at least one
 */
record GatewayClient(String clientId, String secret, List<String> redirectUris) {

	GatewayClient {
		Objects.requireNonNull(clientId, "clientId must not be null");
		Objects.requireNonNull(secret, "secret must not be null");
		if (clientId.isBlank()) {
			throw new IllegalArgumentException("clientId must not be blank");
		}
		if (secret.isEmpty()) {
			throw new IllegalArgumentException("secret must not be empty");
		}
		redirectUris = List.copyOf(Objects.requireNonNull(redirectUris, "redirectUris must not be null"));
		if (redirectUris.isEmpty()) {
			throw new IllegalArgumentException("redirectUris must not be empty");
		}
		redirectUris.forEach((uri) -> RedirectUris.requireValid(uri, "redirectUris"));
	}

	@Override
	public String toString() {
		return "GatewayClient[clientId=" + this.clientId + ", secret=[REDACTED], redirectUris=" + this.redirectUris
				+ "]";
	}

}
