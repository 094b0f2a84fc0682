package dev.gatehouse.server.mcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * MCP 2026-07-28, the stateless revision: no {@code initialize}, no session; every request carries its version
 * and capabilities in {@code _meta} and mirrors method and name in headers.
 */
class StatelessProtocolTests {

	static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
			+ "\"io.modelcontextprotocol/clientCapabilities\":{},"
			+ "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"stateless-test\",\"version\":\"1\"}}";

	static TestUpstream upstream;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		gateway = TestGateway.builder().start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	static Reply send(String method, String params, Map<String, String> headerOverrides) {
		Map<String, String> headers = new HashMap<>();
		headers.put("MCP-Protocol-Version", "2026-07-28");
		headers.put("Mcp-Method", method);
		headers.putAll(headerOverrides);
		String body = "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"" + method + "\",\"params\":" + params + "}";
		return gateway.client().post(body, headers);
	}

	static Reply send(String method, String paramsWithoutMeta) {
		String params = paramsWithoutMeta.equals("{}") ? "{" + META + "}"
				: paramsWithoutMeta.substring(0, paramsWithoutMeta.length() - 1) + "," + META + "}";
		return send(method, params, Map.of());
	}

	@Test
	void discoverDescribesTheServerWithoutASession() {
		Reply reply = send("server/discover", "{}");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Mcp-Session-Id")).isNull();
		JsonNode result = reply.response().get("result");
		assertThat(result.get("resultType").asString()).isEqualTo("complete");
		assertThat(result.get("supportedVersions").toString()).contains("2026-07-28", "2025-11-25");
		assertThat(result.get("capabilities").has("tools")).isTrue();
		assertThat(result.get("_meta").get("io.modelcontextprotocol/serverInfo").get("name").asString())
			.isEqualTo("gatehouse");
		assertThat(result.get("ttlMs").asLong()).isPositive();
		assertThat(result.get("cacheScope").asString()).isEqualTo("private");
	}

	@Test
	void toolsListAndCallWorkStatelessly() {
		JsonNode list = send("tools/list", "{}").response().get("result");
		assertThat(list.get("resultType").asString()).isEqualTo("complete");
		assertThat(list.has("ttlMs")).isTrue();
		assertThat(list.get("tools").toString()).contains("up___echo");
		Reply call = send("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"stateless\"}}",
				Map.of("Mcp-Name", "up___echo"));
		assertThat(call.status()).isEqualTo(400);
		Reply named = send("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"stateless\"}," + META + "}",
				Map.of("Mcp-Name", "up___echo"));
		JsonNode result = named.response().get("result");
		assertThat(result.get("resultType").asString()).isEqualTo("complete");
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("stateless");
		Reply encoded = send("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"b64\"}," + META + "}",
				Map.of("Mcp-Name", "=?base64?dXBfX19lY2hv?="));
		assertThat(encoded.response().get("result").get("content").get(0).get("text").asString()).isEqualTo("b64");
	}

	@Test
	void requestWithoutRequiredMetaIsRefusedWith400AndInvalidParams() {
		int before = upstream.calls();
		Reply reply = send("tools/call", "{\"name\":\"up___count\",\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":"
				+ "\"2026-07-28\"}}", Map.of("Mcp-Name", "up___count"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(reply.error().get("message").asString()).contains("clientCapabilities");
		assertThat(reply.response().get("id").asInt()).isEqualTo(11);
		assertThat(upstream.calls()).isEqualTo(before);
	}

	@Test
	void headerThatDisagreesWithTheBodyIsRefusedWithHeaderMismatch() {
		int before = upstream.calls();
		Reply version = send("tools/list", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999.0.0\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{}}}", Map.of());
		assertThat(version.status()).isEqualTo(400);
		assertThat(version.error().get("code").asInt()).isEqualTo(-32020);
		Reply method = send("tools/list", "{" + META + "}", Map.of("Mcp-Method", "prompts/list"));
		assertThat(method.status()).isEqualTo(400);
		assertThat(method.error().get("code").asInt()).isEqualTo(-32020);
		assertThat(method.error().get("message").asString()).contains("Mcp-Method");
		Reply name = send("tools/call", "{\"name\":\"up___count\"," + META + "}", Map.of("Mcp-Name", "up___other"));
		assertThat(name.status()).isEqualTo(400);
		assertThat(name.error().get("code").asInt()).isEqualTo(-32020);
		Reply badBase64 = send("tools/call", "{\"name\":\"up___count\"," + META + "}",
				Map.of("Mcp-Name", "=?base64?dXBfX19jb3VudA?="));
		assertThat(badBase64.status()).isEqualTo(400);
		assertThat(upstream.calls()).isEqualTo(before);
	}

	@Test
	void unsupportedVersionIsRefusedListingTheSupportedOnes() {
		Reply reply = send("server/discover", "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"v999.0.0\","
				+ "\"io.modelcontextprotocol/clientCapabilities\":{}}}", Map.of("MCP-Protocol-Version", "v999.0.0"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("code").asInt()).isEqualTo(-32022);
		assertThat(reply.error().get("data").get("requested").asString()).isEqualTo("v999.0.0");
		assertThat(reply.error().get("data").get("supported").toString()).contains("2026-07-28");
	}

	@Test
	void removedMethodsAndUnknownMethodsGet404AndMethodNotFound() {
		for (String method : new String[] { "initialize", "ping", "logging/setLevel", "resources/subscribe",
				"unknown/method" }) {
			Reply reply = send(method, "{}");
			assertThat(reply.status()).as(method).isEqualTo(404);
			assertThat(reply.error().get("code").asInt()).as(method).isEqualTo(-32601);
		}
		McpTestClient plain = gateway.client();
		assertThat(plain.get(Map.of()).status()).isEqualTo(405);
	}

	@Test
	void batchIsRefused() {
		Reply reply = gateway.client()
			.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{" + META + "}}]",
					Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("message").asString()).contains("batch");
	}

	@Test
	void logMessagesAreRelayedOnlyWhenTheRequestAsksForThem() {
		// The test upstream declares logging but its tools do not log; this checks the request is accepted with a
		// log level and that nothing else changes.
		Reply reply = send("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"l\"},\"_meta\":{"
				+ "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{},"
				+ "\"io.modelcontextprotocol/logLevel\":\"debug\"}}", Map.of("Mcp-Name", "up___echo"));
		assertThat(reply.response().get("result").get("content").get(0).get("text").asString()).isEqualTo("l");
	}

	@Test
	void subscriptionsListenAcknowledgesThenDeliversListChangedTaggedWithTheSubscription() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.mcpUrl()))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("MCP-Protocol-Version", "2026-07-28")
			.header("Mcp-Method", "subscriptions/listen")
			.POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"sub-1\",\"method\":"
					+ "\"subscriptions/listen\",\"params\":{" + META + ",\"notifications\":{\"toolsListChanged\":true}}}"))
			.build();
		HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		Iterator<String> lines = response.body().iterator();
		JsonNode ack = McpTestClient.nextMessage(lines);
		assertThat(ack.get("method").asString()).isEqualTo("notifications/subscriptions/acknowledged");
		assertThat(ack.get("params").get("_meta").get("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("sub-1");
		assertThat(ack.get("params").get("notifications").get("toolsListChanged").asBoolean()).isTrue();
		CompletableFuture<JsonNode> next = CompletableFuture.supplyAsync(() -> McpTestClient.nextMessage(lines));
		upstream.putTool("added_while_listening", "a tool added while an agent listens");
		JsonNode changed = next.get(20, TimeUnit.SECONDS);
		assertThat(changed.get("method").asString()).isEqualTo("notifications/tools/list_changed");
		assertThat(changed.get("params").get("_meta").get("io.modelcontextprotocol/subscriptionId").asString())
			.isEqualTo("sub-1");
		upstream.removeTool("added_while_listening");
	}


	static Duration timeout() {
		return Duration.ofSeconds(20);
	}
}
