package dev.gatehouse.server.access;

/**
 * The request carries no acceptable credential. The HTTP edge answers 401 with a {@code WWW-Authenticate}
 * challenge; the message says what was missing or wrong, never what the token was.
 */
public final class AuthenticationRequiredException extends RuntimeException {

	public AuthenticationRequiredException(String message) {
		super(message, null, false, false);
	}
}
