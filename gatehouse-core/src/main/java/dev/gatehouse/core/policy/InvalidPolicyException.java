package dev.gatehouse.core.policy;

import java.util.List;
import java.util.stream.Collectors;

import dev.gatehouse.core.target.FieldError;

/**
 * A policy document that was refused, with every field at fault (such as {@code rules[2].when[0].lessThan}).
 */
public final class InvalidPolicyException extends RuntimeException {

	private final List<FieldError> errors;

	public InvalidPolicyException(List<FieldError> errors) {
		super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
		if (errors.isEmpty()) {
			throw new IllegalArgumentException("an invalid policy has at least one error");
		}
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return errors;
	}
}
