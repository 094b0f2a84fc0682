package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC request: it has an id and expects exactly one response.
 *
 * @param id the request id
 * @param method the method name
 * @param params the parameters object, or {@code null} if absent
 */
public record JsonRpcRequest(JsonRpcId id, String method, @Nullable ObjectNode params) implements JsonRpcMessage {

	public JsonRpcRequest {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(method, "method must not be null");
	}

	/** The parameters, or an empty object when the request carried none. */
	public ObjectNode paramsOrEmpty() {
		return (params != null) ? params : JsonNodeFactory.instance.objectNode();
	}

	/** The {@code params._meta} object, or {@code null}. */
	public @Nullable ObjectNode meta() {
		if (params == null) {
			return null;
		}
		JsonNode meta = params.get("_meta");
		return (meta instanceof ObjectNode o) ? o : null;
	}

	public JsonRpcRequest withId(JsonRpcId newId) {
		return new JsonRpcRequest(newId, method, params);
	}

	public JsonRpcRequest withParams(@Nullable ObjectNode newParams) {
		return new JsonRpcRequest(id, method, newParams);
	}

	@Override
	public ObjectNode toJson() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("jsonrpc", "2.0");
		node.set("id", id.toJson());
		node.put("method", method);
		if (params != null) {
			node.set("params", params);
		}
		return node;
	}
}
