package dev.gatehouse.server.credentials;

import dev.gatehouse.core.oauth.OAuthError;
import org.jspecify.annotations.Nullable;

/**
 * A token request that did not yield tokens. The {@link Kind} decides what the broker does: a refused grant
 * needs the user's consent again, a refused client or a transient failure keeps the grant.
 */
final class TokenEndpointException extends RuntimeException {

	enum Kind {

		/** {@code invalid_grant}: the code or refresh token is no longer good (used, expired, revoked). */
		GRANT_REFUSED,
		/** {@code invalid_client} or {@code unauthorized_client}: the gateway's client credentials were refused. */
		CLIENT_REFUSED,
		/** Another OAuth error (invalid_scope, invalid_target, invalid_request…). */
		REFUSED,
		/** Unreachable, too slow, 5xx, 429, {@code temporarily_unavailable}: try again later. */
		TRANSIENT,
		/** An answer that is not a usable token response. */
		INVALID_RESPONSE

	}

	private final Kind kind;

	private final @Nullable OAuthError error;

	TokenEndpointException(Kind kind, @Nullable OAuthError error, String message) {
		super(message, null, false, false);
		this.kind = kind;
		this.error = error;
	}

	Kind kind() {
		return kind;
	}

	@Nullable OAuthError error() {
		return error;
	}
}
