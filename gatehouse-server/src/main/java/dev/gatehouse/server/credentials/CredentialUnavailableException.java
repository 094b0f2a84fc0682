package dev.gatehouse.server.credentials;

/**
 * The gateway cannot obtain a credential for a target. The message names the target and the cause (a missing
 * environment variable, an unreadable file) and never a secret value.
 */
public final class CredentialUnavailableException extends RuntimeException {

	public CredentialUnavailableException(String message) {
		super(message, null, false, false);
	}
}
