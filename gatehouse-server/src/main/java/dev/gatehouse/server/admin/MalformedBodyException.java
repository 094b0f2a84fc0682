package dev.gatehouse.server.admin;

/**
 * A request body that is not the JSON expected.
 */
final class MalformedBodyException extends RuntimeException {

	MalformedBodyException(String message) {
		super(message, null, false, false);
	}
}
