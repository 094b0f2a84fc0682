package dev.gatehouse.server.admin;

/** Something the admin API was asked about does not exist (404). */
final class NotFoundException extends RuntimeException {

	private final String type;

	NotFoundException(String type, String message) {
		super(message, null, false, false);
		this.type = type;
	}

	String type() {
		return type;
	}
}
