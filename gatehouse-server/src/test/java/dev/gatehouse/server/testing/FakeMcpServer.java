package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * A deliberately misbehaving MCP server: it answers {@code initialize} and {@code tools/list} correctly and
 * every {@code tools/call} with whatever the test says (HTML, broken JSON, a wrong id, an HTTP 500…).
 */
public final class FakeMcpServer implements AutoCloseable {

	/** What to answer a {@code tools/call} with. */
	public record Answer(int status, String contentType, String body, byte[] raw) {

		public Answer(int status, String contentType, String body) {
			this(status, contentType, body, null);
		}

		/** An answer of exactly these bytes (which need not be well-formed UTF-8). */
		public static Answer raw(int status, String contentType, byte[] bytes) {
			return new Answer(status, contentType, "", bytes);
		}
	}

	private final HttpServer server;

	/** The headers of every request received, in order. */
	private final java.util.List<java.util.Map<String, java.util.List<String>>> headers;

	private FakeMcpServer(HttpServer server, java.util.List<java.util.Map<String, java.util.List<String>>> headers) {
		this.server = server;
		this.headers = headers;
	}

	public java.util.List<java.util.Map<String, java.util.List<String>>> headers() {
		return java.util.List.copyOf(headers);
	}

	public static FakeMcpServer start(Function<JsonNode, Answer> toolsCall) {
		System.setProperty("sun.net.httpserver.nodelay", "true");
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			server.setExecutor(Executors.newCachedThreadPool());
			java.util.List<java.util.Map<String, java.util.List<String>>> headers = new java.util.concurrent.CopyOnWriteArrayList<>();
			server.createContext("/mcp", (exchange) -> {
				headers.add(java.util.Map.copyOf(exchange.getRequestHeaders()));
				handle(exchange, toolsCall);
			});
			server.start();
			return new FakeMcpServer(server, headers);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void handle(HttpExchange exchange, Function<JsonNode, Answer> toolsCall) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		if (!exchange.getRequestMethod().equals("POST")) {
			send(exchange, new Answer(405, "text/plain", ""));
			return;
		}
		JsonNode message = McpTestClient.JSON.readTree(body);
		String method = message.path("method").asString("");
		JsonNode id = message.get("id");
		switch (method) {
			case "initialize" -> {
				exchange.getResponseHeaders().add("Mcp-Session-Id", "fake-session");
				send(exchange, json(id, "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{}},"
						+ "\"serverInfo\":{\"name\":\"fake\",\"version\":\"1\"}}"));
			}
			case "tools/list" -> send(exchange, json(id, "{\"tools\":[{\"name\":\"x\",\"description\":\"misbehaves\","
					+ "\"inputSchema\":{\"type\":\"object\"}}]}"));
			case "tools/call" -> send(exchange, toolsCall.apply(message));
			default -> send(exchange, new Answer(202, "text/plain", ""));
		}
	}

	static Answer json(JsonNode id, String result) {
		return new Answer(200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}");
	}

	private static void send(HttpExchange exchange, Answer answer) throws IOException {
		byte[] bytes = (answer.raw() != null) ? answer.raw() : answer.body().getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", answer.contentType());
		exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	public String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
