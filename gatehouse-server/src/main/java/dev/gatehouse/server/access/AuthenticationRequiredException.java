package dev.gatehouse.server.access;

import org.jspecify.annotations.Nullable;

/**
 * The request carries no acceptable credential. The HTTP edge answers 401 with a {@code WWW-Authenticate:
 * Bearer} challenge (RFC 6750 §3) pointing at the protected resource metadata; the message says what was missing
 * or wrong, never what the token was.
 */
public final class AuthenticationRequiredException extends RuntimeException {

	private final @Nullable String error;

	private final int status;

	/** No credential at all: the challenge carries no error code (RFC 6750 §3.1). */
	public AuthenticationRequiredException(String message) {
		this(null, message, 401);
	}

	/**
	 * @param error the RFC 6750 error code ({@code invalid_token}, {@code invalid_request}), or {@code null}
	 * @param status 401, or 503 when the token cannot be checked now (the issuer's keys are unreachable)
	 */
	public AuthenticationRequiredException(@Nullable String error, String message, int status) {
		super(message, null, false, false);
		this.error = error;
		this.status = status;
	}

	public static AuthenticationRequiredException invalidToken(String message) {
		return new AuthenticationRequiredException("invalid_token", message, 401);
	}

	public @Nullable String error() {
		return error;
	}

	public int status() {
		return status;
	}
}
