package dev.gatehouse.core.policy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A condition on one tool argument, such as "{@code amount} is less than 10000". A rule applies to a call only
 * when all its conditions hold; an argument that is missing or of the wrong type makes the condition false
 * (so an allow rule does not apply, and a deny rule does not either — combine with {@code present} to require
 * an argument).
 *
 * @param argument the argument's name; a dotted path reaches into objects ({@code order.amount})
 * @param operator how to compare
 * @param value what to compare with ({@code null} for {@link Operator#PRESENT} and {@link Operator#ABSENT})
 */
public record Condition(String argument, Operator operator, @Nullable JsonNode value) {

	/** The comparisons a condition can make. */
	public enum Operator {

		EQUALS("equals"), NOT_EQUALS("notEquals"), LESS_THAN("lessThan"), LESS_THAN_OR_EQUAL("lessThanOrEqual"),
		GREATER_THAN("greaterThan"), GREATER_THAN_OR_EQUAL("greaterThanOrEqual"), IN("in"), NOT_IN("notIn"),
		MATCHES("matches"), PRESENT("present"), ABSENT("absent");

		private final String key;

		Operator(String key) {
			this.key = key;
		}

		/** The key in a policy document, such as {@code lessThan}. */
		public String key() {
			return key;
		}

		static @Nullable Operator of(String key) {
			for (Operator operator : values()) {
				if (operator.key.equals(key)) {
					return operator;
				}
			}
			return null;
		}

		static List<String> keys() {
			return java.util.Arrays.stream(values()).map(Operator::key).toList();
		}

	}

	public Condition {
		Objects.requireNonNull(argument, "argument must not be null");
		Objects.requireNonNull(operator, "operator must not be null");
	}

	/** Whether the condition holds for a call's arguments. */
	public boolean holds(@Nullable JsonNode arguments) {
		JsonNode actual = resolve(arguments);
		boolean present = actual != null && !actual.isNull() && !actual.isMissingNode();
		return switch (operator) {
			case PRESENT -> present;
			case ABSENT -> !present;
			case EQUALS -> present && same(actual, value);
			case NOT_EQUALS -> present && !same(actual, value);
			case IN -> present && value != null && contains(value, actual);
			case NOT_IN -> present && value != null && !contains(value, actual);
			case MATCHES -> present && actual.isString() && value != null
					&& Pattern.compile(value.asString()).matcher(actual.stringValue()).matches();
			case LESS_THAN -> compare(actual) < 0 && numeric(actual);
			case LESS_THAN_OR_EQUAL -> compare(actual) <= 0 && numeric(actual);
			case GREATER_THAN -> compare(actual) > 0 && numeric(actual);
			case GREATER_THAN_OR_EQUAL -> compare(actual) >= 0 && numeric(actual);
		};
	}

	private @Nullable JsonNode resolve(@Nullable JsonNode arguments) {
		JsonNode node = arguments;
		for (String part : argument.split("\\.")) {
			if (node == null || !node.isObject()) {
				return null;
			}
			node = node.get(part);
		}
		return node;
	}

	private static boolean same(JsonNode a, @Nullable JsonNode b) {
		if (b == null) {
			return false;
		}
		if (a.isNumber() && b.isNumber()) {
			return a.decimalValue().compareTo(b.decimalValue()) == 0;
		}
		return a.equals(b);
	}

	private static boolean contains(JsonNode list, JsonNode actual) {
		for (JsonNode item : list) {
			if (same(actual, item)) {
				return true;
			}
		}
		return false;
	}

	private boolean numeric(@Nullable JsonNode actual) {
		return actual != null && actual.isNumber() && value != null && value.isNumber();
	}

	/** Compares a numeric argument with the value; anything else compares as "not ordered" (0 with a false guard). */
	private int compare(@Nullable JsonNode actual) {
		if (!numeric(actual)) {
			return 0;
		}
		BigDecimal a = actual.decimalValue();
		return a.compareTo(value.decimalValue());
	}

	@Override
	public String toString() {
		return argument + " " + operator.key() + ((value != null) ? " " + value : "");
	}
}
