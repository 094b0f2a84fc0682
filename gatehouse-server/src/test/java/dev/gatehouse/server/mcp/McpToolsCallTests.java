package dev.gatehouse.server.mcp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.demo.conformance.ConformanceFixture;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tools/call} through the gateway to upstream MCP servers built with the MCP Java SDK: JSON results,
 * tool errors, protocol errors, progress, logging, and server→client requests relayed both ways.
 */
class McpToolsCallTests {

	static TestUpstream upstream;

	static McpServerHost fixture;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		fixture = ConformanceFixture.host().start();
		gateway = TestGateway.builder().start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
		gateway.admin().register("{\"name\":\"fx\",\"endpoint\":\"" + fixture.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
		fixture.close();
	}

	@Test
	void callWhenToolSucceedsThenJsonResultWithTheAgentsId() {
		McpTestClient client = gateway.client();
		client.initialize();
		Reply reply = client.post(McpTestClient.envelope(4242, "tools/call",
				"{\"name\":\"up___echo\",\"arguments\":{\"text\":\"hello\"}}"), Map.of());
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.contentType()).startsWith("application/json");
		JsonNode response = reply.response();
		assertThat(response.get("id").asInt()).isEqualTo(4242);
		assertThat(response.get("result").get("content").get(0).get("text").asString()).isEqualTo("hello");
		Reply stringId = client.post("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"tools/call\",\"params\":"
				+ "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"x\"}}}", Map.of());
		assertThat(stringId.response().get("id").asString()).isEqualTo("abc");
	}

	@Test
	void callWhenToolReportsAnErrorThenTheResultIsRelayedWithIsError() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode response = client.request("tools/call", "{\"name\":\"up___fail\",\"arguments\":{}}").response();
		assertThat(response.has("error")).isFalse();
		assertThat(response.get("result").get("isError").asBoolean()).isTrue();
		assertThat(response.get("result").get("content").get(0).get("text").asString()).isEqualTo("the tool failed");
	}

	@Test
	void callWhenUpstreamAnswersAProtocolErrorThenItIsRelayedNamingTheTarget() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode error = boom(client);
		assertThat(error.get("code").asInt()).as(error.toString()).isEqualTo(-32602);
		assertThat(error.get("message").asString()).isEqualTo("Target 'up' returned an error: boom exploded");
	}

	/**
	 * Calls the test upstream's {@code boom} tool. The SDK's servlet transport sometimes loses the response of a
	 * request that fails with an error (java-sdk#952: a write race closes the connection mid-answer); the gateway
	 * then rightly reports that the target broke the connection. Only that transport failure is retried, up to three
	 * times; any error the target does send is returned to be asserted on.
	 */
	private static JsonNode boom(McpTestClient client) {
		for (int attempt = 1;; attempt++) {
			JsonNode error = client.request("tools/call", "{\"name\":\"up___boom\",\"arguments\":{}}").error();
			boolean transportLost = error.get("code").asInt() == -32603
					&& error.get("message").asString().contains("broke the connection");
			if (attempt == 3 || !transportLost) {
				return error;
			}
		}
	}

	@Test
	void callWithProgressTokenThenProgressArrivesWithTheSameTokenBeforeTheResult() {
		McpTestClient client = gateway.client();
		client.initialize();
		Reply reply = client.request("tools/call",
				"{\"name\":\"fx___test_tool_with_progress\",\"arguments\":{},\"_meta\":{\"progressToken\":17}}");
		assertThat(reply.isSse()).isTrue();
		List<JsonNode> messages = reply.messages();
		List<JsonNode> progress = messages.stream()
			.filter((m) -> "notifications/progress".equals(m.path("method").asString(null)))
			.toList();
		assertThat(progress).hasSizeGreaterThanOrEqualTo(3);
		assertThat(progress).allMatch((p) -> p.get("params").get("progressToken").isIntegralNumber()
				&& p.get("params").get("progressToken").asInt() == 17);
		assertThat(messages.get(messages.size() - 1).has("result")).isTrue();
	}

	@Test
	void callWhenUpstreamLogsThenMessagesAreRelayedAtOrAboveTheSessionsLevel() {
		McpTestClient client = gateway.client();
		client.initialize();
		List<JsonNode> logs = logMessages(client.request("tools/call", "{\"name\":\"fx___test_tool_with_logging\"}"));
		assertThat(logs).hasSize(3);
		assertThat(logs.get(0).get("params").get("data").asString()).isEqualTo("Tool execution started");
		assertThat(client.result("logging/setLevel", "{\"level\":\"error\"}").size()).isZero();
		List<JsonNode> filtered = logMessages(client.request("tools/call", "{\"name\":\"fx___test_tool_with_logging\"}"));
		assertThat(filtered).isEmpty();
		Reply badLevel = client.request("logging/setLevel", "{\"level\":\"loud\"}");
		assertThat(badLevel.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(badLevel.error().get("message").asString()).contains("'level'");
	}

	@Test
	void elicitationFromTheTargetIsRelayedAndTheAgentsAnswerGoesBack() {
		McpTestClient client = gateway.client();
		client.initialize();
		AtomicReference<JsonNode> relayed = new AtomicReference<>();
		List<JsonNode> messages = client.postStreaming(McpTestClient.envelope(1, "tools/call",
				"{\"name\":\"fx___test_elicitation\",\"arguments\":{\"message\":\"Who are you?\"}}"), (message) -> {
					if ("elicitation/create".equals(message.path("method").asString(null))) {
						relayed.set(message);
						Reply answered = client.post("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
								+ ",\"result\":{\"action\":\"accept\",\"content\":{\"username\":\"alice\","
								+ "\"email\":\"alice@example.com\"}}}", Map.of());
						assertThat(answered.status()).isEqualTo(202);
					}
				});
		assertThat(relayed.get()).isNotNull();
		assertThat(relayed.get().get("id").asString()).startsWith("gh1.");
		assertThat(relayed.get().get("params").get("message").asString()).isEqualTo("Who are you?");
		JsonNode result = messages.get(messages.size() - 1).get("result");
		assertThat(result.get("content").get(0).get("text").asString()).contains("action=accept").contains("alice");
	}

	@Test
	void samplingFromTheTargetIsRelayedAndAnswered() {
		McpTestClient client = gateway.client();
		client.initialize();
		List<JsonNode> messages = client.postStreaming(McpTestClient.envelope(1, "tools/call",
				"{\"name\":\"fx___test_sampling\",\"arguments\":{\"prompt\":\"Say hi\"}}"), (message) -> {
					if ("sampling/createMessage".equals(message.path("method").asString(null))) {
						client.post("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id") + ",\"result\":{\"role\":"
								+ "\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"hi from the agent\"},"
								+ "\"model\":\"test-model\"}}", Map.of());
					}
				});
		assertThat(messages.get(messages.size() - 1).get("result").get("content").get(0).get("text").asString())
			.isEqualTo("LLM response: hi from the agent");
	}

	@Test
	void requestTheAgentDidNotDeclareIsRefusedToTheTargetWithoutReachingTheAgent() {
		McpTestClient client = gateway.client();
		client.initialize("2025-11-25", "{}");
		Reply reply = client.request("tools/call", "{\"name\":\"fx___test_sampling\",\"arguments\":{\"prompt\":\"x\"}}");
		List<JsonNode> messages = reply.messages();
		assertThat(messages).noneMatch((m) -> m.has("method") && m.get("method").asString().equals("sampling/createMessage"));
		assertThat(reply.response().get("result").get("content").get(0).get("text").asString())
			.startsWith("Sampling not supported or error");
	}

	@Test
	void anAnswerToAnotherSessionsRelayedRequestIsRefused() {
		McpTestClient owner = gateway.client();
		owner.initialize();
		McpTestClient other = gateway.client();
		other.initialize();
		AtomicReference<Reply> stolen = new AtomicReference<>();
		owner.postStreaming(McpTestClient.envelope(1, "tools/call",
				"{\"name\":\"fx___test_elicitation\",\"arguments\":{\"message\":\"m\"}}"), (message) -> {
					if ("elicitation/create".equals(message.path("method").asString(null))) {
						stolen.set(other.post("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
								+ ",\"result\":{\"action\":\"decline\"}}", Map.of()));
						owner.post("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
								+ ",\"result\":{\"action\":\"cancel\"}}", Map.of());
					}
				});
		assertThat(stolen.get().status()).isEqualTo(400);
		assertThat(stolen.get().error().get("message").asString()).contains("not one the gateway sent");
	}

	@Test
	void aSubscribedSessionIsToldOnItsGetStreamWhenTheResourceChanges() throws Exception {
		McpTestClient client = gateway.client();
		client.initialize();
		java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = client.openStream();
		java.util.Iterator<String> lines = stream.body().iterator();
		assertThat(client.result("resources/subscribe", "{\"uri\":\"fx+test://watched-resource\"}").size()).isZero();
		java.util.concurrent.CompletableFuture<JsonNode> next = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> McpTestClient.nextMessage(lines));
		fixture.syncServer()
			.notifyResourcesUpdated(new io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification(
					"test://watched-resource"));
		JsonNode updated = next.get(20, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(updated.get("method").asString()).isEqualTo("notifications/resources/updated");
		assertThat(updated.get("params").get("uri").asString()).isEqualTo("fx+test://watched-resource");
		assertThat(client.result("resources/unsubscribe", "{\"uri\":\"fx+test://watched-resource\"}").size()).isZero();
		Reply unknown = client.request("resources/subscribe", "{\"uri\":\"nowhere://x\"}");
		assertThat(unknown.error().get("code").asInt()).isEqualTo(-32002);
		assertThat(unknown.error().get("message").asString()).contains("nowhere://x");
	}

	private static List<JsonNode> logMessages(Reply reply) {
		return reply.messages()
			.stream()
			.filter((m) -> "notifications/message".equals(m.path("method").asString(null)))
			.toList();
	}
}
