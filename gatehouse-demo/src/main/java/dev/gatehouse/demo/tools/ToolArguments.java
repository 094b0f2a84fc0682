package dev.gatehouse.demo.tools;

import dev.gatehouse.demo.ToolResults;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;

/**
 * Typed access to a {@code tools/call} request's arguments. The SDK validates arguments
 * against the input schema before a handler runs; these checks are the handler's own
 * defence and produce the messages of its {@code isError} results.
 */
final class ToolArguments {

	private final Map<String, Object> arguments;

	private ToolArguments(Map<String, Object> arguments) {
		this.arguments = arguments;
	}

	/**
	 * Wraps a handler so that an {@link InvalidArgumentException} becomes an
	 * {@code isError} result naming the problem, instead of a JSON-RPC error.
	 */
	static BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> reportingInvalidArguments(
			BiFunction<McpSyncServerExchange, ToolArguments, CallToolResult> handler) {
		return (exchange, request) -> {
			try {
				return handler.apply(exchange, of(request));
			}
			catch (InvalidArgumentException ex) {
				return ToolResults.error(Objects.requireNonNullElse(ex.getMessage(), "Invalid arguments"));
			}
		};
	}

	static ToolArguments of(CallToolRequest request) {
		return new ToolArguments((request.arguments() != null) ? request.arguments() : Map.of());
	}

	@Nullable String optionalString(String name) {
		Object value = this.arguments.get(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String)) {
			throw new InvalidArgumentException("'" + name + "' must be a string");
		}
		return (String) value;
	}

	String string(String name) {
		String value = optionalString(name);
		if (value == null) {
			throw new InvalidArgumentException("'" + name + "' is required");
		}
		return value;
	}

	BigDecimal number(String name) {
		Object value = this.arguments.get(name);
		if (!(value instanceof Number)) {
			throw new InvalidArgumentException("'" + name + "' must be a number");
		}
		// toString() keeps the decimal the client sent (0.1 stays 0.1, not
		// 0.1000000000000000055...).
		return new BigDecimal(value.toString());
	}

	/**
	 * An integer argument within bounds, or {@code defaultValue} when absent.
	 */
	int integer(String name, int min, int max, @Nullable Integer defaultValue) {
		Object value = this.arguments.get(name);
		if (value == null && defaultValue != null) {
			return defaultValue;
		}
		String bounds = "'" + name + "' must be an integer between " + min + " and " + max;
		if (!(value instanceof Number)) {
			throw new InvalidArgumentException(bounds);
		}
		BigDecimal decimal = new BigDecimal(value.toString());
		if (decimal.stripTrailingZeros().scale() > 0 || decimal.compareTo(BigDecimal.valueOf(min)) < 0
				|| decimal.compareTo(BigDecimal.valueOf(max)) > 0) {
			throw new InvalidArgumentException(bounds + " but was " + value);
		}
		return decimal.intValueExact();
	}

	/**
	 * An argument the handler cannot use; its message becomes the text of an
	 * {@code isError} result.
	 */
	static final class InvalidArgumentException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		InvalidArgumentException(String message) {
			super(message);
		}

	}

}
