package dev.gatehouse.core.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.secret.Secret;
import org.jspecify.annotations.Nullable;

/**
 * The tokens an authorization server issued for one grant. The values are {@link Secret}s: they leave the
 * gateway only in the {@code Authorization} header of a call to the target they were issued for.
 *
 * @param accessToken the access token
 * @param tokenType always {@code Bearer} (the only type the gateway accepts)
 * @param expiresAt when the access token expires: from {@code expires_in}, or assumed when the server sent none
 * @param expiryAssumed whether {@code expiresAt} is the gateway's default lifetime rather than the server's word
 * @param refreshToken the refresh token, or {@code null}
 * @param scopes the granted scopes: the response's {@code scope}, or the requested ones when it had none
 * (RFC 6749 §5.1)
 * @param obtainedAt when the gateway received the response
 */
public record TokenSet(Secret accessToken, String tokenType, Instant expiresAt, boolean expiryAssumed,
		@Nullable Secret refreshToken, List<String> scopes, Instant obtainedAt) {

	public TokenSet {
		Objects.requireNonNull(accessToken, "accessToken must not be null");
		Objects.requireNonNull(tokenType, "tokenType must not be null");
		Objects.requireNonNull(expiresAt, "expiresAt must not be null");
		Objects.requireNonNull(obtainedAt, "obtainedAt must not be null");
		scopes = List.copyOf(scopes);
	}

	/** Whether the access token expires within {@code skew} of {@code now} (or already has). */
	public boolean expiresWithin(Duration skew, Instant now) {
		return !now.plus(skew).isBefore(expiresAt);
	}

	/**
	 * The set after a refresh: a server that rotates refresh tokens sends a new one; one that does not may omit
	 * it, and the current one stays valid (RFC 6749 §6).
	 */
	public TokenSet keepingRefreshTokenOf(TokenSet previous) {
		if (refreshToken != null || previous.refreshToken == null) {
			return this;
		}
		return new TokenSet(accessToken, tokenType, expiresAt, expiryAssumed, previous.refreshToken, scopes,
				obtainedAt);
	}

	@Override
	public String toString() {
		return "TokenSet[type=" + tokenType + ", expiresAt=" + expiresAt + ", refreshToken="
				+ (refreshToken != null) + ", scopes=" + scopes + "]";
	}
}
