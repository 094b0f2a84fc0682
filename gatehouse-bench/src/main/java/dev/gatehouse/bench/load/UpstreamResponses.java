package dev.gatehouse.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The fake upstream's answers, built from canned parts around the request's JSON-RPC id. Tools: {@code json}
 * (a JSON result with a text of {@code payloadBytes}), {@code sse1} (the same result as a one-event SSE),
 * {@code stream} (an SSE of {@code events} events: progress notifications, or log messages when the call
 * carries no progress token, then the result) and {@code slow} (the JSON result after {@code delayMillis}).
 */
final class UpstreamResponses {

	static final String SESSION_ID = "bench-upstream-session";

	private static final byte[] OK_JSON = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");

	private static final byte[] OK_SSE = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
			+ "Cache-Control: no-cache\r\n");

	private static final byte[] ACCEPTED = ascii("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");

	private static final byte[] NO_GET = ascii(
			"HTTP/1.1 405 Method Not Allowed\r\nAllow: POST, DELETE\r\nContent-Length: 0\r\n\r\n");

	private static final byte[] DELETED = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

	private static final String TOOLS = "{\"tools\":[" + tool("json", "Answers JSON")
			+ "," + tool("sse1", "Answers a one-event SSE") + "," + tool("stream", "Answers an SSE of N events") + ","
			+ tool("slow", "Answers JSON after a delay") + "]}";

	private final byte[] resultSuffix;

	private final int events;

	UpstreamResponses(int payloadBytes, int events) {
		this.resultSuffix = ascii(",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text(payloadBytes)
				+ "\"}],\"isError\":false}}");
		this.events = Math.max(1, events);
	}

	static byte[] accepted() {
		return ACCEPTED;
	}

	static byte[] noGet() {
		return NO_GET;
	}

	static byte[] deleted() {
		return DELETED;
	}

	/** The initialize result, echoing the requested protocol version. */
	void initialize(String id, String protocolVersion, ByteArrayOutputStream out) {
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":\""
				+ ((protocolVersion != null) ? protocolVersion : "2025-11-25")
				+ "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"bench-upstream\",\"version\":\"1\"}}}";
		json(ascii(body), "Mcp-Session-Id: " + SESSION_ID + "\r\n", out);
	}

	void toolsList(String id, ByteArrayOutputStream out) {
		json(ascii("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + TOOLS + "}"), "", out);
	}

	void empty(String id, ByteArrayOutputStream out) {
		json(ascii("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}"), "", out);
	}

	/** The tool result as JSON. */
	void jsonResult(String id, ByteArrayOutputStream out) {
		json(result(id), "", out);
	}

	/** The tool result as one SSE event. */
	void sseResult(String id, ByteArrayOutputStream out) {
		byte[] event = event(result(id));
		head(OK_SSE, event.length, "", out);
		out.writeBytes(event);
	}

	/**
	 * The SSE events of the {@code stream} tool: {@code events - 1} notifications, then the result.
	 * @return the events, each to be written and flushed on its own
	 */
	byte[][] streamEvents(String id, String progressToken) {
		byte[][] all = new byte[this.events][];
		for (int i = 0; i < this.events - 1; i++) {
			String notification = (progressToken != null)
					? "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":"
							+ progressToken + ",\"progress\":" + (i + 1) + ",\"total\":" + this.events
							+ ",\"message\":\"step " + (i + 1) + "\"}}"
					: "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\","
							+ "\"data\":\"step " + (i + 1) + " of " + this.events + "\"}}";
			all[i] = event(ascii(notification));
		}
		all[this.events - 1] = event(result(id));
		return all;
	}

	static void streamHead(byte[][] events, ByteArrayOutputStream out) {
		int length = 0;
		for (byte[] event : events) {
			length += event.length;
		}
		head(OK_SSE, length, "", out);
	}

	private byte[] result(String id) {
		byte[] prefix = ascii("{\"jsonrpc\":\"2.0\",\"id\":" + id);
		byte[] all = new byte[prefix.length + this.resultSuffix.length];
		System.arraycopy(prefix, 0, all, 0, prefix.length);
		System.arraycopy(this.resultSuffix, 0, all, prefix.length, this.resultSuffix.length);
		return all;
	}

	private static void json(byte[] body, String extraHeaders, ByteArrayOutputStream out) {
		head(OK_JSON, body.length, extraHeaders, out);
		out.writeBytes(body);
	}

	private static void head(byte[] statusAndType, int length, String extraHeaders, ByteArrayOutputStream out) {
		out.writeBytes(statusAndType);
		out.writeBytes(ascii(extraHeaders + "Content-Length: " + length + "\r\n\r\n"));
	}

	private static byte[] event(byte[] data) {
		byte[] prefix = ascii("event: message\ndata: ");
		byte[] all = new byte[prefix.length + data.length + 2];
		System.arraycopy(prefix, 0, all, 0, prefix.length);
		System.arraycopy(data, 0, all, prefix.length, data.length);
		all[all.length - 2] = '\n';
		all[all.length - 1] = '\n';
		return all;
	}

	private static String tool(String name, String description) {
		return "{\"name\":\"" + name + "\",\"description\":\"" + description
				+ "\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}";
	}

	/** A text of the given length, words and spaces, nothing to escape. */
	static String text(int length) {
		String words = "gatehouse bench payload lorem ipsum dolor sit amet ";
		StringBuilder text = new StringBuilder(length);
		while (text.length() < length) {
			text.append(words, 0, Math.min(words.length(), length - text.length()));
		}
		return text.toString();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
