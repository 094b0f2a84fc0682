package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A raw MCP client over HTTP for tests: every header and body can be chosen, so the tests can send what a
 * real client never would. It remembers the session id and protocol version after {@link #initialize}.
 */
public final class McpTestClient {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String url;

	private final AtomicLong ids = new AtomicLong(100);

	private String sessionId;

	private String protocolVersion;

	private String bearer;

	/** Sends {@code Authorization: Bearer <token>} on every request. */
	public McpTestClient bearer(String token) {
		this.bearer = token;
		return this;
	}

	public McpTestClient(String url) {
		this.url = url;
	}

	public String url() {
		return url;
	}

	public String sessionId() {
		return sessionId;
	}

	public McpTestClient session(String sessionId, String protocolVersion) {
		this.sessionId = sessionId;
		this.protocolVersion = protocolVersion;
		return this;
	}

	/** Runs initialize (and notifications/initialized) with the given capabilities; returns the result. */
	public JsonNode initialize(String version, String capabilitiesJson) {
		Reply reply = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
				+ version + "\",\"capabilities\":" + capabilitiesJson
				+ ",\"clientInfo\":{\"name\":\"gatehouse-tests\",\"version\":\"1\"}}}", Map.of());
		if (reply.status() != 200) {
			throw new IllegalStateException("initialize failed: " + reply);
		}
		this.sessionId = reply.header("Mcp-Session-Id");
		JsonNode result = reply.response().get("result");
		this.protocolVersion = result.get("protocolVersion").asString();
		Reply initialized = notify("notifications/initialized", null);
		if (initialized.status() != 202) {
			throw new IllegalStateException("notifications/initialized was not accepted: " + initialized);
		}
		return result;
	}

	public JsonNode initialize() {
		return initialize("2025-11-25", "{\"sampling\":{},\"elicitation\":{\"form\":{},\"url\":{}}}");
	}

	/** Sends a request with the session headers; returns the reply (JSON or SSE). */
	public Reply request(String method, String paramsJson) {
		return post(envelope(ids.incrementAndGet(), method, paramsJson), Map.of());
	}

	/** The {@code result} of a request, failing if it was an error. */
	public JsonNode result(String method, String paramsJson) {
		Reply reply = request(method, paramsJson);
		JsonNode response = reply.response();
		if (response.has("error")) {
			throw new AssertionError(method + " failed: " + response);
		}
		return response.get("result");
	}

	public Reply notify(String method, String paramsJson) {
		String body = "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\""
				+ ((paramsJson != null) ? ",\"params\":" + paramsJson : "") + "}";
		return post(body, Map.of());
	}

	/** The next JSON-RPC message of an SSE stream read line by line; fails if the stream ends first. */
	public static JsonNode nextMessage(java.util.Iterator<String> lines) {
		StringBuilder data = new StringBuilder();
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.startsWith("data:")) {
				data.append(line.substring(5).strip());
			}
			else if (line.isEmpty() && data.length() > 0) {
				return JSON.readTree(data.toString());
			}
		}
		throw new AssertionError("the stream ended");
	}

	public static String envelope(long id, String method, String paramsJson) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
				+ ((paramsJson != null) ? ",\"params\":" + paramsJson : "") + "}";
	}

	/** POSTs a body with the default headers (overridable; a null value removes one). */
	public Reply post(String body, Map<String, String> overrides) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers(overrides).forEach(builder::header);
		return send(builder.build());
	}

	/** POSTs and hands each SSE message to {@code onMessage} as it arrives; returns all messages. */
	public List<JsonNode> postStreaming(String body, Consumer<JsonNode> onMessage) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers(Map.of()).forEach(builder::header);
		try {
			HttpResponse<Stream<String>> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
			List<JsonNode> messages = new ArrayList<>();
			String contentType = response.headers().firstValue("Content-Type").orElse("");
			if (contentType.startsWith("application/json")) {
				String all = String.join("\n", response.body().toList());
				JsonNode node = JSON.readTree(all);
				messages.add(node);
				onMessage.accept(node);
				return messages;
			}
			StringBuilder data = new StringBuilder();
			for (String line : (Iterable<String>) response.body()::iterator) {
				if (line.startsWith("data:")) {
					data.append(line.substring(5).strip());
				}
				else if (line.isEmpty() && data.length() > 0) {
					JsonNode message = JSON.readTree(data.toString());
					data.setLength(0);
					messages.add(message);
					onMessage.accept(message);
				}
			}
			return messages;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public Reply get(Map<String, String> overrides) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		Map<String, String> headers = headers(overrides);
		headers.put("Accept", overrides.getOrDefault("Accept", "text/event-stream"));
		headers.remove("Content-Type");
		headers.forEach((k, v) -> {
			if (v != null) {
				builder.header(k, v);
			}
		});
		return send(builder.build());
	}

	/** Opens the GET stream and returns its lines as they arrive. */
	public HttpResponse<Stream<String>> openStream() {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).GET();
		Map<String, String> headers = headers(Map.of());
		headers.put("Accept", "text/event-stream");
		headers.remove("Content-Type");
		headers.forEach(builder::header);
		try {
			return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public Reply delete() {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).DELETE();
		Map<String, String> headers = headers(Map.of());
		headers.remove("Content-Type");
		headers.forEach(builder::header);
		return send(builder.build());
	}

	private Map<String, String> headers(Map<String, String> overrides) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Content-Type", "application/json");
		headers.put("Accept", "application/json, text/event-stream");
		if (sessionId != null) {
			headers.put("Mcp-Session-Id", sessionId);
		}
		if (protocolVersion != null) {
			headers.put("MCP-Protocol-Version", protocolVersion);
		}
		if (bearer != null) {
			headers.put("Authorization", "Bearer " + bearer);
		}
		headers.putAll(overrides);
		headers.values().removeIf((v) -> v == null);
		return headers;
	}

	private static Reply send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** An HTTP reply: JSON, SSE, or empty. */
	public record Reply(int status, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
				if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
					return entry.getValue().get(0);
				}
			}
			return null;
		}

		public String contentType() {
			String value = header("Content-Type");
			return (value != null) ? value : "";
		}

		public boolean isSse() {
			return contentType().startsWith("text/event-stream");
		}

		/** The JSON-RPC messages in the body: one for JSON, each event's data for SSE. */
		public List<JsonNode> messages() {
			List<JsonNode> messages = new ArrayList<>();
			if (isSse()) {
				StringBuilder data = new StringBuilder();
				for (String line : body.split("\r?\n", -1)) {
					if (line.startsWith("data:")) {
						data.append(line.substring(5).strip());
					}
					else if (line.isEmpty() && data.length() > 0) {
						messages.add(JSON.readTree(data.toString()));
						data.setLength(0);
					}
				}
			}
			else if (!body.isBlank()) {
				messages.add(JSON.readTree(body));
			}
			return messages;
		}

		/** The JSON-RPC response: the body, or the SSE message with an id. */
		public JsonNode response() {
			List<JsonNode> messages = messages();
			for (int i = messages.size() - 1; i >= 0; i--) {
				JsonNode m = messages.get(i);
				if (m.isArray() || m.has("result") || m.has("error")) {
					return m;
				}
			}
			throw new AssertionError("no JSON-RPC response in: " + this);
		}

		public JsonNode error() {
			return response().get("error");
		}

		public ObjectNode json() {
			return (ObjectNode) JSON.readTree(body);
		}
	}
}
