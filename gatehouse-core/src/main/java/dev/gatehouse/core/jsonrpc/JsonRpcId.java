package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A JSON-RPC request id: a string or an integer, never {@code null} (MCP narrows JSON-RPC here).
 *
 * @param value a {@link String} or a {@link Long}
 */
public record JsonRpcId(Object value) {

	public JsonRpcId {
		Objects.requireNonNull(value, "value must not be null");
		if (!(value instanceof String) && !(value instanceof Long)) {
			throw new IllegalArgumentException("a JSON-RPC id is a string or an integer");
		}
	}

	public static JsonRpcId of(String value) {
		return new JsonRpcId(value);
	}

	public static JsonRpcId of(long value) {
		return new JsonRpcId(value);
	}

	/** Reads an id from JSON, or throws {@link JsonRpcException} naming the problem. */
	static JsonRpcId fromJson(JsonNode node) {
		if (node.isString()) {
			return new JsonRpcId(node.stringValue());
		}
		if (node.isIntegralNumber() && node.canConvertToLong()) {
			return new JsonRpcId(node.longValue());
		}
		throw new JsonRpcException(JsonRpcErrorCode.INVALID_REQUEST,
				"Invalid request: 'id' must be a string or an integer, not " + describe(node));
	}

	public JsonNode toJson() {
		return (value instanceof String s) ? JsonNodeFactory.instance.stringNode(s)
				: JsonNodeFactory.instance.numberNode((Long) value);
	}

	public boolean isString() {
		return value instanceof String;
	}

	static String describe(JsonNode node) {
		if (node.isNull()) {
			return "null";
		}
		if (node.isNumber()) {
			return "the number " + node;
		}
		if (node.isBoolean()) {
			return "a boolean";
		}
		if (node.isArray()) {
			return "an array";
		}
		if (node.isObject()) {
			return "an object";
		}
		return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public String toString() {
		return (value instanceof String s) ? '"' + s + '"' : value.toString();
	}
}
