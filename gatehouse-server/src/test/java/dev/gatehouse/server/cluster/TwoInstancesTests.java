package dev.gatehouse.server.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.demo.conformance.ConformanceFixture;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.server.testing.GatewayProcess;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway processes sharing one PostgreSQL database serve the same MCP session alternately, with no sticky
 * routing: a session created on one is used on the other, a server→client request relayed by one is answered
 * through the other, a cancellation sent to one stops a call running on the other, and a session ended on one
 * is gone on both.
 */
class TwoInstancesTests {

	@TempDir
	static Path dir;

	static TestUpstream upstream;

	static McpServerHost fixture;

	static GatewayProcess a;

	static GatewayProcess b;

	@BeforeAll
	static void start() throws Exception {
		upstream = TestUpstream.start();
		fixture = ConformanceFixture.host().start();
		String jdbc = Postgres.newDatabase();
		Path key = TestGateway.writeMasterKey(dir.resolve("shared"));
		Map<String, String> properties = Map.of("spring.datasource.url", jdbc);
		a = GatewayProcess.start(dir.resolve("a"), key, properties);
		b = GatewayProcess.start(dir.resolve("b"), key, properties);
		a.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
		a.admin().register("{\"name\":\"fx\",\"endpoint\":\"" + fixture.url() + "\"}");
		await().atMost(Duration.ofSeconds(30)).until(() -> listsTool(b, "up___count") && listsTool(b, "fx___test_elicitation"));
	}

	@AfterAll
	static void stop() {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
		upstream.close();
		fixture.close();
	}

	@Test
	void oneSessionIsServedByBothInstancesAlternately() {
		McpTestClient onA = new McpTestClient(a.mcpUrl());
		onA.initialize();
		McpTestClient onB = new McpTestClient(b.mcpUrl()).session(onA.sessionId(), "2025-11-25");
		int before = upstream.calls();
		for (int i = 0; i < 10; i++) {
			McpTestClient client = (i % 2 == 0) ? onA : onB;
			Reply reply = client.request("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}");
			assertThat(reply.status()).as("call %d", i).isEqualTo(200);
			assertThat(reply.response().has("result")).as("call %d: %s", i, reply.body()).isTrue();
			assertThat(client.result("tools/list", "{}").get("tools").size()).isPositive();
		}
		assertThat(upstream.calls()).isEqualTo(before + 10);
	}

	@Test
	void aRequestRelayedByOneInstanceIsAnsweredThroughTheOther() {
		McpTestClient onA = new McpTestClient(a.mcpUrl());
		onA.initialize();
		McpTestClient onB = new McpTestClient(b.mcpUrl()).session(onA.sessionId(), "2025-11-25");
		AtomicReference<Reply> answered = new AtomicReference<>();
		List<JsonNode> messages = onA.postStreaming(McpTestClient.envelope(1, "tools/call",
				"{\"name\":\"fx___test_elicitation\",\"arguments\":{\"message\":\"across\"}}"), (message) -> {
					if ("elicitation/create".equals(message.path("method").asString(null))) {
						answered.set(onB.post("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
								+ ",\"result\":{\"action\":\"accept\",\"content\":{\"username\":\"bob\",\"email\":\"b@x.org\"}}}",
								Map.of()));
					}
				});
		assertThat(answered.get().status()).isEqualTo(202);
		assertThat(messages.get(messages.size() - 1).get("result").get("content").get(0).get("text").asString())
			.contains("bob");
	}

	@Test
	void aCancellationSentToOneInstanceStopsACallRunningOnTheOther() throws Exception {
		McpTestClient onA = new McpTestClient(a.mcpUrl());
		onA.initialize();
		McpTestClient onB = new McpTestClient(b.mcpUrl()).session(onA.sessionId(), "2025-11-25");
		long start = System.nanoTime();
		CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> onA.post(
				McpTestClient.envelope(555, "tools/call", "{\"name\":\"up___slow\",\"arguments\":{\"ms\":20000}}"),
				Map.of()));
		Thread.sleep(500);
		assertThat(onB.notify("notifications/cancelled", "{\"requestId\":555}").status()).isEqualTo(202);
		Reply reply = call.get(15, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		assertThat(reply.messages()).noneMatch((m) -> m.has("result"));
	}

	@Test
	void aSessionEndedOnOneInstanceIsGoneOnBoth() {
		McpTestClient onA = new McpTestClient(a.mcpUrl());
		onA.initialize();
		McpTestClient onB = new McpTestClient(b.mcpUrl()).session(onA.sessionId(), "2025-11-25");
		assertThat(onB.request("ping", null).status()).isEqualTo(200);
		assertThat(onB.delete().status()).isEqualTo(200);
		assertThat(onB.request("ping", null).status()).isEqualTo(404);
		await().atMost(Duration.ofSeconds(5)).until(() -> onA.request("ping", null).status() == 404);
	}

	@Test
	void aTargetRegisteredOnOneInstanceIsServedByTheOther() {
		assertThat(b.admin().get("/admin/api/targets/up").status()).isEqualTo(200);
		assertThat(b.admin().get("/admin/api/targets/up/status").json().get("source").asString()).isEqualTo("api");
	}

	static boolean listsTool(GatewayProcess gateway, String name) {
		McpTestClient client = new McpTestClient(gateway.mcpUrl());
		client.initialize();
		return client.result("tools/list", "{}").toString().contains("\"" + name + "\"");
	}
}
