package dev.gatehouse.server.admin;

/** A request that conflicts with the current state (409), with a message that says what to do instead. */
final class ConflictException extends RuntimeException {

	ConflictException(String message) {
		super(message, null, false, false);
	}
}
