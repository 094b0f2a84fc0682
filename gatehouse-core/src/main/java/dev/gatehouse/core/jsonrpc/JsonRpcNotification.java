package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC notification: no id, and the receiver never answers it.
 *
 * @param method the method name
 * @param params the parameters object, or {@code null} if absent
 */
public record JsonRpcNotification(String method, @Nullable ObjectNode params) implements JsonRpcMessage {

	public JsonRpcNotification {
		Objects.requireNonNull(method, "method must not be null");
	}

	@Override
	public ObjectNode toJson() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("jsonrpc", "2.0");
		node.put("method", method);
		if (params != null) {
			node.set("params", params);
		}
		return node;
	}
}
