package dev.gatehouse.server.admin;

/**
 * A request parameter the admin API cannot use, named in the problem details.
 */
final class BadRequestException extends RuntimeException {

	private final String field;

	BadRequestException(String field, String message) {
		super(message, null, false, false);
		this.field = field;
	}

	String field() {
		return field;
	}
}
