package dev.gatehouse.core.jsonrpc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes JSON-RPC 2.0 messages, validating each one and naming what is wrong with it.
 * <p>
 * Duplicate member names are rejected: a message such as {@code {"method":"a","method":"b"}} could otherwise
 * be read one way by a policy check and another way by an upstream. Thread-safe.
 */
public final class JsonRpcCodec {

	private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final JsonMapper mapper;

	public JsonRpcCodec() {
		this(DEFAULT_MAPPER);
	}

	public JsonRpcCodec(JsonMapper mapper) {
		this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
	}

	/** The mapper this codec reads and writes with (strict about duplicate names). */
	public JsonMapper mapper() {
		return mapper;
	}

	/**
	 * Parses a body into a JSON tree. The body must be well-formed UTF-8 ({@link Utf8Validator}): Jackson alone
	 * would read an overlong {@code 0xC0 0xAF} as {@code /}.
	 * @throws JsonRpcException with {@link JsonRpcErrorCode#PARSE_ERROR} when it is not one JSON value in
	 * well-formed UTF-8; the message names the byte offset of a malformed sequence
	 */
	public JsonNode parseJson(byte[] body) {
		if (body.length == 0) {
			throw new JsonRpcException(JsonRpcErrorCode.PARSE_ERROR, "Parse error: the request body is empty");
		}
		int malformed = Utf8Validator.firstMalformed(body);
		if (malformed >= 0) {
			throw new JsonRpcException(JsonRpcErrorCode.PARSE_ERROR, "Parse error: the body is not well-formed UTF-8 at byte offset "
					+ malformed + ": " + Utf8Validator.describe(body, malformed));
		}
		try {
			JsonNode node = mapper.readTree(body);
			if (node == null || node.isMissingNode()) {
				throw new JsonRpcException(JsonRpcErrorCode.PARSE_ERROR, "Parse error: the request body is empty");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new JsonRpcException(JsonRpcErrorCode.PARSE_ERROR,
					"Parse error: the body is not valid JSON (" + ex.getOriginalMessage() + ")");
		}
	}

	/**
	 * Reads one JSON-RPC message from a JSON value.
	 * @throws JsonRpcException with {@link JsonRpcErrorCode#INVALID_REQUEST} naming the member at fault
	 */
	public JsonRpcMessage toMessage(JsonNode node) {
		if (!(node instanceof ObjectNode object)) {
			throw invalid("a JSON-RPC message must be a JSON object, not " + JsonRpcId.describe(node));
		}
		JsonNode version = object.get("jsonrpc");
		if (version == null || !version.isString() || !"2.0".equals(version.stringValue())) {
			throw invalid("'jsonrpc' must be \"2.0\"");
		}
		JsonNode idNode = object.get("id");
		JsonNode methodNode = object.get("method");
		if (methodNode != null) {
			return toRequestOrNotification(object, idNode, methodNode);
		}
		if (object.has("result") || object.has("error")) {
			return toResponse(object, idNode);
		}
		throw invalid("a message needs 'method' (a request or notification) or 'result'/'error' (a response)");
	}

	private JsonRpcMessage toRequestOrNotification(ObjectNode object, @Nullable JsonNode idNode,
			JsonNode methodNode) {
		if (!methodNode.isString() || methodNode.stringValue().isEmpty()) {
			throw invalid("'method' must be a non-empty string");
		}
		if (object.has("result") || object.has("error")) {
			throw invalid("a message cannot have both 'method' and 'result'/'error'");
		}
		String method = methodNode.stringValue();
		ObjectNode params = readParams(object.get("params"));
		if (idNode == null) {
			return new JsonRpcNotification(method, params);
		}
		return new JsonRpcRequest(JsonRpcId.fromJson(idNode), method, params);
	}

	private static @Nullable ObjectNode readParams(@Nullable JsonNode params) {
		if (params == null) {
			return null;
		}
		if (params instanceof ObjectNode object) {
			return object;
		}
		throw invalid("'params' must be an object, not " + JsonRpcId.describe(params));
	}

	private JsonRpcResponse toResponse(ObjectNode object, @Nullable JsonNode idNode) {
		if (object.has("result") && object.has("error")) {
			throw invalid("a response cannot have both 'result' and 'error'");
		}
		if (idNode == null || idNode.isNull()) {
			if (object.has("error")) {
				return JsonRpcResponse.error(null, readError(object.get("error")));
			}
			throw invalid("a response needs the 'id' of the request it answers");
		}
		JsonRpcId id = JsonRpcId.fromJson(idNode);
		if (object.has("result")) {
			return JsonRpcResponse.result(id, object.get("result"));
		}
		return JsonRpcResponse.error(id, readError(object.get("error")));
	}

	private static JsonRpcError readError(JsonNode error) {
		if (!(error instanceof ObjectNode object)) {
			throw invalid("'error' must be an object");
		}
		JsonNode code = object.get("code");
		if (code == null || !code.isIntegralNumber() || !code.canConvertToInt()) {
			throw invalid("'error.code' must be an integer");
		}
		JsonNode message = object.get("message");
		if (message == null || !message.isString()) {
			throw invalid("'error.message' must be a string");
		}
		return new JsonRpcError(code.intValue(), message.stringValue(), object.get("data"));
	}

	/**
	 * The id of a message that may be invalid, when it can be read; used to answer an invalid request.
	 */
	public static @Nullable JsonRpcId peekId(JsonNode node) {
		JsonNode id = node.get("id");
		if (id == null) {
			return null;
		}
		try {
			return JsonRpcId.fromJson(id);
		}
		catch (JsonRpcException ex) {
			return null;
		}
	}

	/** Serialises a message as UTF-8 JSON. */
	public byte[] write(JsonRpcMessage message) {
		return mapper.writeValueAsBytes(message.toJson());
	}

	/** Serialises any JSON value as UTF-8 JSON. */
	public byte[] write(JsonNode node) {
		return mapper.writeValueAsBytes(node);
	}

	private static JsonRpcException invalid(String detail) {
		return new JsonRpcException(JsonRpcErrorCode.INVALID_REQUEST, "Invalid request: " + detail);
	}
}
