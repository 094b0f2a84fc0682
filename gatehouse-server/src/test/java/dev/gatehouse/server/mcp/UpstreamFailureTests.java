package dev.gatehouse.server.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.NodeTools;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targets that are down, slow, or answer garbage give the agent a clear JSON-RPC error naming the target, and
 * never hang a request; a target that forgets its session is re-initialised transparently; a cancelled call
 * stops.
 */
class UpstreamFailureTests {

	static TestGateway gateway;

	static TestUpstream slow;

	static FakeMcpServer html;

	static FakeMcpServer brokenJson;

	static FakeMcpServer serverError;

	static FakeMcpServer wrongId;

	@BeforeAll
	static void start() {
		gateway = TestGateway.builder().start();
		slow = TestUpstream.start();
		html = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "text/html", "<html>oops</html>"));
		brokenJson = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "application/json", "{\"jsonrpc\":"));
		serverError = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(500, "text/plain", "stack trace here"));
		wrongId = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":{}}"));
		gateway.admin().register("{\"name\":\"slow\",\"endpoint\":\"" + slow.url() + "\",\"timeout\":\"500ms\"}");
		gateway.admin().register("{\"name\":\"html\",\"endpoint\":\"" + html.url() + "\"}");
		gateway.admin().register("{\"name\":\"broken\",\"endpoint\":\"" + brokenJson.url() + "\"}");
		gateway.admin().register("{\"name\":\"error500\",\"endpoint\":\"" + serverError.url() + "\"}");
		gateway.admin().register("{\"name\":\"wrongid\",\"endpoint\":\"" + wrongId.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		slow.close();
		html.close();
		brokenJson.close();
		serverError.close();
		wrongId.close();
	}

	@Test
	void callWhenTargetIsSlowerThanItsTimeoutThenTimeoutErrorNamingTheTarget() {
		McpTestClient client = gateway.client();
		client.initialize();
		long start = System.nanoTime();
		JsonNode error = client.request("tools/call", "{\"name\":\"slow___slow\",\"arguments\":{\"ms\":5000}}").error();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(took).isLessThan(Duration.ofSeconds(3));
		assertThat(error.get("code").asInt()).isEqualTo(-32603);
		assertThat(error.get("message").asString()).isEqualTo("Target 'slow' did not answer within 500ms");
		assertThat(error.get("data").get("target").asString()).isEqualTo("slow");
		assertThat(error.get("data").get("reason").asString()).isEqualTo("upstream_timeout");
	}

	@Test
	void callWhenTargetAnswersHtmlThenProtocolErrorNamingTheTarget() {
		JsonNode error = call("html___x");
		assertThat(error.get("message").asString()).contains("Target 'html'").contains("text/html");
		assertThat(error.get("data").get("reason").asString()).isEqualTo("upstream_protocol");
	}

	@Test
	void callWhenTargetAnswersBrokenJsonThenProtocolError() {
		JsonNode error = call("broken___x");
		assertThat(error.get("message").asString()).contains("Target 'broken'").contains("not valid JSON-RPC");
	}

	@Test
	void callWhenTargetAnswers500ThenErrorWithTheStatusAndNotTheBody() {
		JsonNode error = call("error500___x");
		assertThat(error.get("message").asString()).isEqualTo("Target 'error500' answered HTTP 500");
		assertThat(error.get("data").get("status").asInt()).isEqualTo(500);
		assertThat(error.toString()).doesNotContain("stack trace");
	}

	@Test
	void callWhenTargetAnswersAnotherRequestsIdThenProtocolError() {
		JsonNode error = call("wrongid___x");
		assertThat(error.get("message").asString()).contains("not its response");
	}

	@Test
	void callWhenTargetIsDownThenUnreachableErrorQuickly() throws Exception {
		TestUpstream doomed = TestUpstream.start();
		gateway.admin().register("{\"name\":\"doomed\",\"endpoint\":\"" + doomed.url() + "\"}");
		doomed.close();
		McpTestClient client = gateway.client();
		client.initialize();
		long start = System.nanoTime();
		JsonNode error = client.request("tools/call", "{\"name\":\"doomed___count\",\"arguments\":{}}").error();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(error.get("code").asInt()).isEqualTo(-32603);
		assertThat(error.get("message").asString()).startsWith("Target 'doomed'");
		assertThat(error.get("data").get("reason").asString()).isIn("upstream_unreachable", "upstream_http_status");
	}

	@Test
	void callWhenTargetForgotTheSessionThenTheGatewayReinitialisesTransparently() {
		int port = NodeTools.freePort();
		TestUpstream first = TestUpstream.startOnPort(port);
		gateway.admin().register("{\"name\":\"restarts\",\"endpoint\":\"" + first.url() + "\"}");
		McpTestClient client = gateway.client();
		client.initialize();
		assertThat(client.result("tools/call", "{\"name\":\"restarts___count\",\"arguments\":{}}")).isNotNull();
		first.close();
		try (TestUpstream second = TestUpstream.startOnPort(port)) {
			JsonNode result = client.result("tools/call", "{\"name\":\"restarts___count\",\"arguments\":{}}");
			assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("call 1");
			assertThat(second.calls()).isEqualTo(1);
		}
	}

	@Test
	void cancelledCallStopsWaitingAndSendsNoResult() throws Exception {
		McpTestClient client = gateway.client();
		client.initialize();
		CompletableFuture<Reply> call = CompletableFuture.supplyAsync(() -> client.post(
				McpTestClient.envelope(77, "tools/call", "{\"name\":\"slow___slow\",\"arguments\":{\"ms\":400}}"), Map.of()));
		Thread.sleep(100);
		Reply cancel = client.notify("notifications/cancelled", "{\"requestId\":77,\"reason\":\"user stopped it\"}");
		assertThat(cancel.status()).isEqualTo(202);
		Reply reply = call.get(5, TimeUnit.SECONDS);
		assertThat(reply.messages()).noneMatch((m) -> m.has("result") || m.has("error"));
	}

	private static JsonNode call(String tool) {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode error = client.request("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":{}}").error();
		assertThat(error).as("an error for " + tool).isNotNull();
		assertThat(error.get("code").asInt()).isEqualTo(-32603);
		return error;
	}
}
