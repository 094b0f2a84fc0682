package dev.gatehouse.core.target;

import java.util.Objects;

/**
 * One thing wrong with a submitted document.
 *
 * @param field the JSON path of the member at fault, such as {@code auth.tokenUrl}
 * @param message what is wrong, in a sentence that never repeats a secret
 */
public record FieldError(String field, String message) {

	public FieldError {
		Objects.requireNonNull(field, "field must not be null");
		Objects.requireNonNull(message, "message must not be null");
	}

	@Override
	public String toString() {
		return field + ": " + message;
	}
}
