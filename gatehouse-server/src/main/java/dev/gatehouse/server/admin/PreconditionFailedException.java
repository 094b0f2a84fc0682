package dev.gatehouse.server.admin;

/**
 * An {@code If-Match} that no longer matches: the resource changed since the client read it.
 */
final class PreconditionFailedException extends RuntimeException {

	PreconditionFailedException(String message) {
		super(message, null, false, false);
	}
}
