package dev.gatehouse.core.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A target definition that was refused, with every field at fault.
 */
public final class InvalidTargetException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidTargetException(List<FieldError> errors) {
		super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
		if (errors.isEmpty()) {
			throw new IllegalArgumentException("an invalid target has at least one error");
		}
		this.errors = List.copyOf(errors);
	}

	public InvalidTargetException(String field, String message) {
		this(List.of(new FieldError(field, message)));
	}

	public List<FieldError> errors() {
		return errors;
	}
}
