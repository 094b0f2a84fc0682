package dev.gatehouse.server.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-request protocol fields of MCP 2026-07-28, checked in the order the revision implies: the
 * {@code _meta} fields (-32602), the {@code MCP-Protocol-Version} header against them (-32020), the version
 * (-32022), then the {@code Mcp-Method} and {@code Mcp-Name} headers against the body (-32020). Every
 * rejection is HTTP 400.
 *
 * @param capabilities what the client declared for this request
 * @param logLevel the per-request log level, or {@code null} (then no log messages are relayed)
 */
record StatelessEnvelope(ClientCapabilities capabilities, @Nullable String logLevel) {

	static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

	static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";

	static final String META_LOG_LEVEL = "io.modelcontextprotocol/logLevel";

	/** Whether a request uses the stateless revision: its header says so, or its {@code _meta} does. */
	static boolean applies(@Nullable String versionHeader, JsonNode body) {
		if (ProtocolVersion.V2026_07_28.id().equals(versionHeader)) {
			return true;
		}
		JsonNode meta = body.path("params").path("_meta");
		return meta.isObject() && meta.has(META_VERSION);
	}

	/**
	 * Validates a 2026-07-28 request against its headers.
	 * @throws JsonRpcException naming the field or header at fault; HTTP 400
	 */
	static StatelessEnvelope read(JsonRpcRequest request, @Nullable String versionHeader, @Nullable String methodHeader,
			@Nullable String nameHeader) {
		ObjectNode meta = request.meta();
		JsonNode version = (meta != null) ? meta.get(META_VERSION) : null;
		JsonNode capabilities = (meta != null) ? meta.get(META_CAPABILITIES) : null;
		if (version == null || !version.isString() || capabilities == null || !capabilities.isObject()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Invalid params: an MCP 2026-07-28 request "
					+ "needs params._meta with '" + META_VERSION + "' (a string) and '" + META_CAPABILITIES
					+ "' (an object)");
		}
		if (versionHeader == null) {
			throw mismatch("the MCP-Protocol-Version header is required");
		}
		if (!versionHeader.equals(version.stringValue())) {
			throw mismatch("MCP-Protocol-Version header '" + printable(versionHeader) + "' does not match '"
					+ META_VERSION + "' '" + printable(version.stringValue()) + "' in the body");
		}
		if (!ProtocolVersion.V2026_07_28.id().equals(versionHeader)) {
			throw unsupported(versionHeader);
		}
		checkMethod(request, methodHeader);
		checkName(request, nameHeader);
		JsonNode level = meta.get(META_LOG_LEVEL);
		String logLevel = (level != null && level.isString() && RelayListener.isLevel(level.stringValue()))
				? level.stringValue() : null;
		return new StatelessEnvelope(ClientCapabilities.fromJson(capabilities), logLevel);
	}

	private static void checkMethod(JsonRpcRequest request, @Nullable String methodHeader) {
		if (methodHeader == null) {
			throw mismatch("the Mcp-Method header is required");
		}
		if (!methodHeader.strip().equals(request.method())) {
			throw mismatch("Mcp-Method header '" + printable(methodHeader) + "' does not match method '"
					+ request.method() + "' in the body");
		}
	}

	private static void checkName(JsonRpcRequest request, @Nullable String nameHeader) {
		String field = switch (request.method()) {
			case "tools/call", "prompts/get" -> "name";
			case "resources/read" -> "uri";
			default -> null;
		};
		if (field == null) {
			return;
		}
		if (nameHeader == null) {
			throw mismatch("the Mcp-Name header is required for " + request.method());
		}
		String decoded = decode(nameHeader.strip());
		JsonNode bodyValue = request.paramsOrEmpty().get(field);
		if (bodyValue == null || !bodyValue.isString() || !bodyValue.stringValue().equals(decoded)) {
			throw mismatch("Mcp-Name header '" + printable(decoded) + "' does not match params." + field
					+ " in the body");
		}
	}

	/** Decodes {@code =?base64?…?=}; other values are literal. */
	static String decode(String value) {
		if (value.startsWith("=?base64?") && value.endsWith("?=") && value.length() >= 11) {
			String encoded = value.substring(9, value.length() - 2);
			if (encoded.length() % 4 != 0 || !encoded.matches("[A-Za-z0-9+/]*={0,2}")) {
				throw mismatch("Mcp-Name header has invalid base64");
			}
			try {
				return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw mismatch("Mcp-Name header has invalid base64");
			}
		}
		return value;
	}

	static JsonRpcException unsupported(String requested) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		ArrayNode supported = data.putArray("supported");
		ProtocolVersion.ids().forEach(supported::add);
		data.put("requested", requested);
		return new JsonRpcException(JsonRpcErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
				"Unsupported protocol version '" + printable(requested) + "'", data);
	}

	static JsonRpcException mismatch(String detail) {
		return new JsonRpcException(JsonRpcErrorCode.HEADER_MISMATCH, "Header mismatch: " + detail);
	}

	private static String printable(String value) {
		Objects.requireNonNull(value, "value must not be null");
		String cut = (value.length() > 128) ? value.substring(0, 128) + "…" : value;
		return cut.replaceAll("\\p{Cntrl}", "?");
	}
}
