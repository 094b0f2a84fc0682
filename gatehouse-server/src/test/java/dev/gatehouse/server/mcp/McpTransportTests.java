package dev.gatehouse.server.mcp;

import java.util.HashMap;
import java.util.Map;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every transport rule of {@code /mcp}: each rejection is checked for its status, its error, and that nothing
 * happened (no upstream call, no session).
 */
class McpTransportTests {

	static TestUpstream upstream;

	static TestGateway gateway;

	McpTestClient client;

	static final String CALL_COUNT = "{\"name\":\"up___count\",\"arguments\":{}}";

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		gateway = TestGateway.builder()
			.property("gatehouse.mcp.max-request-size", "2KB")
			.property("gatehouse.mcp.allowed-origins", "https://agent.example.com")
			.start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@BeforeEach
	void initialize() {
		client = gateway.client();
		client.initialize();
	}

	private Reply callCount(Map<String, String> headers) {
		return client.post(McpTestClient.envelope(7, "tools/call", CALL_COUNT), headers);
	}

	private void assertNoUpstreamCall(int before) {
		assertThat(upstream.calls()).as("upstream calls").isEqualTo(before);
	}

	@Test
	void postWithValidHeadersCallsTheTool() {
		int before = upstream.calls();
		Reply reply = callCount(Map.of());
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.response().get("result").get("content").get(0).get("text").asString()).startsWith("call ");
		assertThat(upstream.calls()).isEqualTo(before + 1);
	}

	@Test
	void postWhenBodyIsNotJsonThenParseError400() {
		int before = upstream.calls();
		Reply reply = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",", Map.of());
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("code").asInt()).isEqualTo(-32700);
		assertThat(reply.error().get("message").asString()).startsWith("Parse error");
		assertNoUpstreamCall(before);
	}

	@Test
	void postWhenMessageIsNotJsonRpcThenInvalidRequest400NamingTheMember() {
		int before = upstream.calls();
		Reply reply = client.post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/call\",\"params\":" + CALL_COUNT + "}",
				Map.of());
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("code").asInt()).isEqualTo(-32600);
		assertThat(reply.error().get("message").asString()).contains("'jsonrpc'");
		Reply nullId = client.post("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tools/call\",\"params\":" + CALL_COUNT
				+ "}", Map.of());
		assertThat(nullId.status()).isEqualTo(400);
		assertThat(nullId.error().get("message").asString()).contains("'id' must be a string or an integer");
		Reply duplicate = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/call\"}",
				Map.of());
		assertThat(duplicate.status()).isEqualTo(400);
		assertThat(duplicate.error().get("message").asString()).contains("Duplicate");
		assertNoUpstreamCall(before);
	}

	@Test
	void postWhenAcceptLacksEventStreamThen400() {
		int before = upstream.calls();
		Reply reply = callCount(Map.of("Accept", "application/json"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("message").asString()).contains("Accept");
		Reply missing = callCount(headersWithout("Accept"));
		assertThat(missing.status()).isEqualTo(400);
		assertNoUpstreamCall(before);
	}

	@Test
	void postWhenContentTypeIsNotJsonThen415() {
		int before = upstream.calls();
		Reply reply = callCount(Map.of("Content-Type", "text/plain"));
		assertThat(reply.status()).isEqualTo(415);
		assertThat(reply.error().get("message").asString()).contains("Content-Type").contains("application/json");
		assertNoUpstreamCall(before);
	}

	@Test
	void postWhenProtocolVersionIsUnsupportedThen400() {
		int before = upstream.calls();
		Reply reply = callCount(Map.of("MCP-Protocol-Version", "1999-01-01"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("message").asString()).contains("MCP-Protocol-Version").contains("1999-01-01");
		Reply stateless = callCount(Map.of("MCP-Protocol-Version", "2026-07-28"));
		assertThat(stateless.status()).isEqualTo(400);
		assertNoUpstreamCall(before);
	}

	@Test
	void postWithAnotherSupportedVersionIsServedWithTheSessionsSemantics() {
		Reply reply = callCount(Map.of("MCP-Protocol-Version", "2025-03-26"));
		assertThat(reply.status()).isEqualTo(200);
	}

	@Test
	void postWithoutProtocolVersionHeaderUsesTheSessionsVersion() {
		Reply reply = callCount(headersWithout("MCP-Protocol-Version"));
		assertThat(reply.status()).isEqualTo(200);
	}

	@Test
	void postWhenOriginIsForeignThen403() {
		int before = upstream.calls();
		Reply reply = callCount(Map.of("Origin", "https://evil.example.com"));
		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.error().get("message").asString()).contains("Origin").contains("evil.example.com");
		assertThat(reply.json().has("id")).isFalse();
		assertNoUpstreamCall(before);
		assertThat(callCount(Map.of("Origin", "https://agent.example.com")).status()).isEqualTo(200);
		assertThat(callCount(Map.of("Origin", "http://localhost:6274")).status()).isEqualTo(200);
	}

	@Test
	void initializeWhenHostIsForeignThen403AndNoSession() {
		McpTestClient fresh = gateway.client();
		Reply reply = fresh.post(initializeBody(), Map.of("Host", "evil.example.com"));
		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.error().get("message").asString()).contains("Host");
		assertThat(reply.header("Mcp-Session-Id")).isNull();
	}

	@Test
	void postWhenBodyTooLargeThen413() {
		int before = upstream.calls();
		String big = "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"" + "x".repeat(4096) + "\"}}";
		Reply reply = client.post(McpTestClient.envelope(9, "tools/call", big), Map.of());
		assertThat(reply.status()).isEqualTo(413);
		assertThat(reply.error().get("message").asString()).contains("exceeds 2048 bytes");
		assertNoUpstreamCall(before);
	}

	@Test
	void postWhenSessionIsUnknownThen404AndWhenMissingThen400() {
		int before = upstream.calls();
		Reply unknown = callCount(Map.of("Mcp-Session-Id", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.error().get("message").asString()).contains("Session not found");
		String tampered = client.sessionId().substring(0, 20) + (client.sessionId().charAt(20) == 'A' ? 'B' : 'A')
				+ client.sessionId().substring(21);
		assertThat(callCount(Map.of("Mcp-Session-Id", tampered)).status()).isEqualTo(404);
		Reply missing = callCount(headersWithout("Mcp-Session-Id"));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.error().get("message").asString()).contains("Mcp-Session-Id");
		assertNoUpstreamCall(before);
	}

	@Test
	void deleteEndsTheSessionAndLaterRequestsGet404() {
		Reply deleted = client.delete();
		assertThat(deleted.status()).isEqualTo(200);
		int before = upstream.calls();
		assertThat(callCount(Map.of()).status()).isEqualTo(404);
		assertThat(client.get(Map.of()).status()).isEqualTo(404);
		assertThat(client.delete().status()).isEqualTo(404);
		assertNoUpstreamCall(before);
	}

	@Test
	void notificationsAndUnknownResponsesAreAnsweredWithoutBody() {
		Reply notification = client.notify("notifications/roots/list_changed", null);
		assertThat(notification.status()).isEqualTo(202);
		assertThat(notification.body()).isEmpty();
		Reply response = client.post("{\"jsonrpc\":\"2.0\",\"id\":\"not-ours\",\"result\":{}}", Map.of());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.error().get("message").asString()).contains("answers no request");
	}

	@Test
	void invalidParamsGetMinus32602NamingTheParameter() {
		int before = upstream.calls();
		Reply noName = client.request("tools/call", "{\"arguments\":{}}");
		assertThat(noName.status()).isEqualTo(200);
		assertThat(noName.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(noName.error().get("message").asString()).contains("'name'");
		Reply badArguments = client.request("tools/call", "{\"name\":\"up___count\",\"arguments\":[1]}");
		assertThat(badArguments.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(badArguments.error().get("message").asString()).contains("'arguments'");
		Reply unknownTool = client.request("tools/call", "{\"name\":\"up___nope\",\"arguments\":{}}");
		assertThat(unknownTool.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(unknownTool.error().get("message").asString()).isEqualTo("Unknown tool: up___nope");
		Reply badCursor = client.request("tools/list", "{\"cursor\":\"not-a-cursor\"}");
		assertThat(badCursor.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(badCursor.error().get("message").asString()).contains("Invalid cursor");
		assertNoUpstreamCall(before);
	}

	@Test
	void unknownMethodGetsMinus32601() {
		Reply reply = client.request("tools/frobnicate", "{}");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.error().get("code").asInt()).isEqualTo(-32601);
		assertThat(reply.error().get("message").asString()).contains("tools/frobnicate");
	}

	@Test
	void pingAnswersAnEmptyObject() {
		JsonNode result = client.result("ping", null);
		assertThat(result.isObject()).isTrue();
		assertThat(result.size()).isZero();
	}

	@Test
	void batchesAreRefusedOutside20250326() {
		int before = upstream.calls();
		Reply reply = client.post("[" + McpTestClient.envelope(1, "ping", null) + "]", Map.of());
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error().get("message").asString()).contains("2025-03-26");
		assertNoUpstreamCall(before);
	}

	@Test
	void batchesWorkIn20250326() {
		McpTestClient old = gateway.client();
		JsonNode init = old.initialize("2025-03-26", "{}");
		assertThat(init.get("protocolVersion").asString()).isEqualTo("2025-03-26");
		Reply reply = old.post("[" + McpTestClient.envelope(1, "ping", null) + ","
				+ McpTestClient.envelope(2, "tools/call", CALL_COUNT) + ","
				+ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/roots/list_changed\"}]", Map.of());
		assertThat(reply.status()).isEqualTo(200);
		JsonNode array = McpTestClient.JSON.readTree(reply.body());
		assertThat(array.size()).isEqualTo(2);
		assertThat(array.get(1).get("result").get("content").get(0).get("text").asString()).startsWith("call ");
	}

	@Test
	void initializeNegotiatesTheVersion() {
		McpTestClient fresh = gateway.client();
		assertThat(fresh.initialize("2025-06-18", "{}").get("protocolVersion").asString()).isEqualTo("2025-06-18");
		McpTestClient future = gateway.client();
		assertThat(future.initialize("2099-01-01", "{}").get("protocolVersion").asString()).isEqualTo("2025-11-25");
		Reply noVersion = gateway.client().post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}",
				Map.of());
		assertThat(noVersion.error().get("code").asInt()).isEqualTo(-32602);
		assertThat(noVersion.error().get("message").asString()).contains("protocolVersion");
		assertThat(noVersion.header("Mcp-Session-Id")).isNull();
	}

	@Test
	void getStreamNeedsASessionAndEventStream() {
		McpTestClient anonymous = gateway.client();
		assertThat(anonymous.get(Map.of()).status()).isEqualTo(405);
		Reply wrongAccept = client.get(Map.of("Accept", "application/json"));
		assertThat(wrongAccept.status()).isEqualTo(400);
		assertThat(wrongAccept.error().get("message").asString()).contains("text/event-stream");
	}

	private static String initializeBody() {
		return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
				+ "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
	}

	private static Map<String, String> headersWithout(String name) {
		Map<String, String> headers = new HashMap<>();
		headers.put(name, null);
		return headers;
	}
}
