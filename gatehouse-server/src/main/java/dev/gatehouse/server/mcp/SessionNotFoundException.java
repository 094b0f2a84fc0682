package dev.gatehouse.server.mcp;

/**
 * The session id is unknown, ended, expired, forged, or belongs to another user. All of these are answered
 * the same way (404), so the answer reveals nothing about which.
 */
final class SessionNotFoundException extends RuntimeException {

	SessionNotFoundException(String reason) {
		super(reason, null, false, false);
	}
}
