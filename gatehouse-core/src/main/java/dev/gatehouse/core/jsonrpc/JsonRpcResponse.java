package dev.gatehouse.core.jsonrpc;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC response: exactly one of {@code result} and {@code error}. The id is {@code null} only for an
 * error about a message whose id could not be read.
 *
 * @param id the id of the request answered
 * @param result the result, when the request succeeded
 * @param error the error, when it failed
 */
public record JsonRpcResponse(@Nullable JsonRpcId id, @Nullable JsonNode result, @Nullable JsonRpcError error)
		implements JsonRpcMessage {

	public JsonRpcResponse {
		if ((result == null) == (error == null)) {
			throw new IllegalArgumentException("a response has exactly one of result and error");
		}
		if (result != null && id == null) {
			throw new IllegalArgumentException("a result response must have an id");
		}
	}

	public static JsonRpcResponse result(JsonRpcId id, JsonNode result) {
		return new JsonRpcResponse(id, result, null);
	}

	public static JsonRpcResponse error(@Nullable JsonRpcId id, JsonRpcError error) {
		return new JsonRpcResponse(id, null, error);
	}

	public static JsonRpcResponse error(@Nullable JsonRpcId id, JsonRpcException exception) {
		return new JsonRpcResponse(id, null, exception.toError());
	}

	public boolean isError() {
		return error != null;
	}

	public JsonRpcResponse withId(JsonRpcId newId) {
		return new JsonRpcResponse(newId, result, error);
	}

	@Override
	public ObjectNode toJson() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("jsonrpc", "2.0");
		if (id != null) {
			node.set("id", id.toJson());
		}
		if (result != null) {
			node.set("result", result);
		}
		else if (error != null) {
			node.set("error", error.toJson());
		}
		return node;
	}
}
