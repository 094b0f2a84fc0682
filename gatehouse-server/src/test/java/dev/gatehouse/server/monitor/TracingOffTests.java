package dev.gatehouse.server.monitor;

import java.util.List;
import java.util.Map;

import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing is off by default: the gateway neither reads an agent's {@code traceparent} nor sends one to targets,
 * while Server-Timing stays on.
 */
class TracingOffTests {

	static FakeMcpServer recorder;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		recorder = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":" + m.get("id") + ",\"result\":{\"content\":[]}}"));
		gateway = TestGateway.builder().start();
		gateway.admin().register("{\"name\":\"rec\",\"endpoint\":\"" + recorder.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		recorder.close();
	}

	@Test
	void byDefaultNoTraceContextReachesTheTargetEvenWhenTheAgentSendsOne() {
		assertThat(gateway.bean(Tracing.class).enabled()).isFalse();
		McpTestClient client = gateway.client();
		client.initialize();
		Reply reply = client.post(McpTestClient.envelope(3, "tools/call", "{\"name\":\"rec___x\",\"arguments\":{}}"),
				Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Server-Timing")).matches("gw;dur=\\d+\\.\\d{3}, upstream;dur=\\d+\\.\\d{3}");
		List<Map<String, List<String>>> received = recorder.headers();
		assertThat(received).isNotEmpty()
			.allSatisfy((headers) -> assertThat(headers.keySet()).noneMatch((name) -> name.equalsIgnoreCase("traceparent")));
	}
}
