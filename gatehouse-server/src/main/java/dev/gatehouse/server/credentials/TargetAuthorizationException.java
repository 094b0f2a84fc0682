package dev.gatehouse.server.credentials;

/**
 * The gateway cannot talk OAuth to a target's authorization server: discovery failed, the server does not
 * advertise PKCE S256, no client is registered, or the server is unreachable. The message is for the admin and
 * names the target and the cause; it never contains a secret.
 */
public final class TargetAuthorizationException extends RuntimeException {

	private final boolean transientFailure;

	TargetAuthorizationException(String message, boolean transientFailure) {
		super(message, null, false, false);
		this.transientFailure = transientFailure;
	}

	/** Whether trying again later may succeed (the server was unreachable), unlike a configuration problem. */
	public boolean isTransient() {
		return transientFailure;
	}
}
