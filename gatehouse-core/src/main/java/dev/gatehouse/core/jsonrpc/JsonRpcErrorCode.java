package dev.gatehouse.core.jsonrpc;

/**
 * The JSON-RPC error codes the gateway sends, a closed vocabulary.
 *
 * @see <a href="https://www.jsonrpc.org/specification#error_object">JSON-RPC 2.0 §5.1</a>
 * @see <a href=
 * "https://github.com/modelcontextprotocol/modelcontextprotocol/blob/main/schema/2025-11-25/schema.ts">MCP
 * schema error constants</a>
 */
public enum JsonRpcErrorCode {

	/** The body is not valid JSON. */
	PARSE_ERROR(-32700),
	/** Valid JSON, but not a valid JSON-RPC message. */
	INVALID_REQUEST(-32600),
	/** The method does not exist or is not offered. */
	METHOD_NOT_FOUND(-32601),
	/** Invalid method parameters, including an unknown tool or an invalid cursor. */
	INVALID_PARAMS(-32602),
	/** An internal error, including an upstream that failed. */
	INTERNAL_ERROR(-32603),
	/** A resource does not exist (MCP 2025-11-25). */
	RESOURCE_NOT_FOUND(-32002),
	/** The HTTP headers do not match the body (MCP 2026-07-28). */
	HEADER_MISMATCH(-32020),
	/** A capability the request needs was not declared by the client (MCP 2026-07-28). */
	MISSING_CLIENT_CAPABILITY(-32021),
	/** The protocol version is not supported (MCP 2026-07-28). */
	UNSUPPORTED_PROTOCOL_VERSION(-32022),
	/** The user must open a URL first, for example to authorise a third party (MCP 2025-11-25). */
	URL_ELICITATION_REQUIRED(-32042);

	private final int code;

	JsonRpcErrorCode(int code) {
		this.code = code;
	}

	public int code() {
		return code;
	}
}
