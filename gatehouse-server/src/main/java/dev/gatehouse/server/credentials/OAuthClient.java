package dev.gatehouse.server.credentials;

import java.util.Objects;

/**
 * The gateway as a client of one target's authorization server.
 *
 * @param clientId its client id there
 * @param authentication how it authenticates at the token endpoint
 * @param registered whether the registration is a dynamic one (RFC 7591) the gateway made itself
 */
record OAuthClient(String clientId, ClientAuthentication authentication, boolean registered) {

	OAuthClient {
		Objects.requireNonNull(clientId, "clientId must not be null");
		Objects.requireNonNull(authentication, "authentication must not be null");
	}
}
