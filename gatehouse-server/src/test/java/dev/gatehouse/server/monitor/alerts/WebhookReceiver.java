package dev.gatehouse.server.monitor.alerts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.testing.McpTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A real HTTP webhook receiver on loopback that records every body posted to it, and can answer 500 to the next
 * requests, to make the gateway retry.
 */
final class WebhookReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	private final List<String> refused = new CopyOnWriteArrayList<>();

	private final AtomicInteger failNext = new AtomicInteger();

	private WebhookReceiver(HttpServer server) {
		this.server = server;
	}

	static WebhookReceiver start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			WebhookReceiver receiver = new WebhookReceiver(server);
			server.createContext("/", (exchange) -> {
				String body;
				try (InputStream in = exchange.getRequestBody()) {
					body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
				int status = 200;
				if (receiver.failNext.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
					status = 500;
					receiver.refused.add(body);
				}
				else {
					receiver.bodies.add(body);
				}
				exchange.sendResponseHeaders(status, -1);
				exchange.close();
			});
			server.start();
			return receiver;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	/** The next {@code n} requests get 500 (and are not recorded as received). */
	void failNext(int n) {
		failNext.set(n);
	}

	/** Bodies answered with 2xx, in order. */
	List<JsonNode> received() {
		return bodies.stream().map(McpTestClient.JSON::readTree).toList();
	}

	/** Bodies answered with 500. */
	List<String> refused() {
		return List.copyOf(refused);
	}

	@Override
	public void close() {
		server.stop(0);
	}
}
