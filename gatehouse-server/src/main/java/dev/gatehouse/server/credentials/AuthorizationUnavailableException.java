package dev.gatehouse.server.credentials;

/**
 * The user's grant exists but no valid token can be had right now: the authorization server is unreachable or
 * failing, or refuses the gateway's client. The grant is kept; the agent may retry later. The message names the
 * target and says to retry, never a secret.
 */
public final class AuthorizationUnavailableException extends RuntimeException {

	private final String target;

	AuthorizationUnavailableException(String target, String message) {
		super(message, null, false, false);
		this.target = target;
	}

	public String target() {
		return target;
	}
}
