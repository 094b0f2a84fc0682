package dev.gatehouse.server.monitor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code gatehouse.tracing.otlp-endpoint} the spans of a tool call reach an OTLP/HTTP receiver (here a
 * loopback HTTP server that records what it is sent) as protobuf, at the latest when the gateway shuts down.
 */
class TracingExportTests {

	record Received(String path, String contentType, byte[] body) {
	}

	@Test
	void spansOfAToolCallAreExportedWithOtlpOverHttp() throws IOException {
		List<Received> received = new CopyOnWriteArrayList<>();
		HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
		collector.createContext("/", (exchange) -> {
			received.add(new Received(exchange.getRequestURI().getPath(),
					exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		collector.start();
		FakeMcpServer target = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":" + m.get("id") + ",\"result\":{\"content\":[]}}"));
		try {
			TestGateway gateway = TestGateway.builder()
				.property("gatehouse.tracing.enabled", "true")
				.property("gatehouse.tracing.otlp-endpoint",
						"http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces")
				.property("gatehouse.tracing.service-name", "gatehouse-export-test")
				.start();
			try {
				gateway.admin().register("{\"name\":\"exp\",\"endpoint\":\"" + target.url() + "\"}");
				McpTestClient client = gateway.client();
				client.initialize();
				client.result("tools/call", "{\"name\":\"exp___x\",\"arguments\":{}}");
			}
			finally {
				gateway.close();
			}
		}
		finally {
			target.close();
			collector.stop(0);
		}
		assertThat(received).isNotEmpty().allSatisfy((r) -> {
			assertThat(r.path()).isEqualTo("/v1/traces");
			assertThat(r.contentType()).isEqualTo("application/x-protobuf");
		});
		String sent = received.stream()
			.map((r) -> new String(r.body(), StandardCharsets.ISO_8859_1))
			.reduce("", String::concat);
		assertThat(sent).contains("tools/call exp___x").contains("tools/call exp").contains("gatehouse-export-test");
	}
}
