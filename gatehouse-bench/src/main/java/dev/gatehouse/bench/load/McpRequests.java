package dev.gatehouse.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Pre-built MCP Streamable HTTP requests (revision 2025-11-25) for one endpoint: {@code initialize},
 * {@code notifications/initialized}, {@code tools/call} and the session's GET stream, each with the headers the
 * specification requires and, for the gateway, the bearer token. Built once per connection so that the load loop
 * only writes bytes. Immutable.
 *
 * @param port the endpoint's port on 127.0.0.1
 * @param bearer the access token, or {@code null} (direct and nginx)
 */
record McpRequests(int port, String bearer) {

	/** The protocol revision the client speaks. */
	static final String PROTOCOL_VERSION = "2025-11-25";

	/** The text of the {@code q} argument: with the envelope, a request body of about 1 KiB. */
	static final String ARGUMENT = UpstreamResponses.text(900);

	byte[] initialize() {
		return post(null, false, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
				+ PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"gatehouse-bench\",\"version\":\"1\"}}}");
	}

	byte[] initialized(String session) {
		return post(session, true, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
	}

	/**
	 * A {@code tools/call}.
	 * @param session the session id
	 * @param tool the tool name as the endpoint exposes it
	 * @param id the JSON-RPC id (unique among the session's concurrent requests)
	 * @param progress whether to ask for progress notifications (a progress token equal to the id)
	 * @return the request bytes
	 */
	byte[] toolsCall(String session, String tool, long id, boolean progress) {
		String meta = progress ? ",\"_meta\":{\"progressToken\":" + id + "}" : "";
		return post(session, true, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
				+ tool + "\",\"arguments\":{\"q\":\"" + ARGUMENT + "\"}" + meta + "}}");
	}

	/** The GET that opens the session's server-to-client stream. */
	byte[] stream(String session) {
		return ascii("GET /mcp HTTP/1.1\r\n" + common(session, true) + "Accept: text/event-stream\r\n\r\n");
	}

	private byte[] post(String session, boolean versioned, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return ascii("POST /mcp HTTP/1.1\r\n" + common(session, versioned)
				+ "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: "
				+ bytes.length + "\r\n\r\n" + body);
	}

	private String common(String session, boolean versioned) {
		StringBuilder headers = new StringBuilder("Host: localhost:").append(this.port).append("\r\n");
		if (this.bearer != null) {
			headers.append("Authorization: Bearer ").append(this.bearer).append("\r\n");
		}
		if (versioned) {
			headers.append("MCP-Protocol-Version: ").append(PROTOCOL_VERSION).append("\r\n");
		}
		if (session != null) {
			headers.append("Mcp-Session-Id: ").append(session).append("\r\n");
		}
		return headers.toString();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
