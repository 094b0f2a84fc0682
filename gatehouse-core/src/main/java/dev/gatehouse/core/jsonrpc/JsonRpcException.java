package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A protocol error as a value: a code from {@link JsonRpcErrorCode}, a message that says what was wrong, and
 * optional data. One edge component turns it into a JSON-RPC error response.
 */
public final class JsonRpcException extends RuntimeException {

	private final int code;

	private final transient @Nullable JsonNode data;

	public JsonRpcException(JsonRpcErrorCode code, String message) {
		this(code.code(), message, null);
	}

	public JsonRpcException(JsonRpcErrorCode code, String message, @Nullable JsonNode data) {
		this(code.code(), message, data);
	}

	public JsonRpcException(int code, String message, @Nullable JsonNode data) {
		super(Objects.requireNonNull(message, "message must not be null"), null, false, false);
		this.code = code;
		this.data = data;
	}

	public int code() {
		return code;
	}

	public @Nullable JsonNode data() {
		return data;
	}

	public JsonRpcError toError() {
		return new JsonRpcError(code, getMessage(), data);
	}
}
