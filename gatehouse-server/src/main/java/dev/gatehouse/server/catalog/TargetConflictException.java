package dev.gatehouse.server.catalog;

/**
 * A change to a target that conflicts with the registry's state: the name is taken, the target is managed by
 * the targets file, or it changed since it was read.
 */
public final class TargetConflictException extends RuntimeException {

	private final String field;

	public TargetConflictException(String field, String message) {
		super(message, null, false, false);
		this.field = field;
	}

	/** The field the conflict is about, such as {@code name}. */
	public String field() {
		return field;
	}
}
