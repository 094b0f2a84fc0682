package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code error} member of a JSON-RPC error response.
 *
 * @param code the error code
 * @param message a message that names what was wrong
 * @param data optional details
 */
public record JsonRpcError(int code, String message, @Nullable JsonNode data) {

	public JsonRpcError {
		Objects.requireNonNull(message, "message must not be null");
	}

	public ObjectNode toJson() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("code", code);
		node.put("message", message);
		if (data != null) {
			node.set("data", data);
		}
		return node;
	}
}
