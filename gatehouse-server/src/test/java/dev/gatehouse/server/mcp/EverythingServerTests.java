package dev.gatehouse.server.mcp;

import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.server.testing.EverythingServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of the MCP reference server {@code @modelcontextprotocol/server-everything}, run from
 * npm as a real process: once over Streamable HTTP and once over the 2024-11-05 HTTP+SSE transport.
 */
class EverythingServerTests {

	static EverythingServer everything;

	static EverythingServer everythingSse;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		everything = EverythingServer.streamableHttp();
		everythingSse = EverythingServer.legacySse();
		gateway = TestGateway.builder().start();
		gateway.admin().register("{\"name\":\"everything\",\"endpoint\":\"" + everything.url()
				+ "\",\"auth\":{\"type\":\"none\"}}");
		gateway.admin().register("{\"name\":\"legacy\",\"endpoint\":\"" + everythingSse.url()
				+ "\",\"auth\":{\"type\":\"none\"}}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		everything.close();
		everythingSse.close();
	}

	@Test
	void toolsListPrefixesEveryToolWithItsTarget() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode tools = client.result("tools/list", "{}").get("tools");
		List<String> names = new ArrayList<>();
		tools.forEach((t) -> names.add(t.get("name").asString()));
		assertThat(names).contains("everything___echo", "everything___get-sum", "legacy___echo");
		assertThat(names).allMatch((n) -> n.startsWith("everything___") || n.startsWith("legacy___"));
		JsonNode echo = find(tools, "everything___echo");
		assertThat(echo.get("description").asString()).isEqualTo("Echoes back the input string");
		assertThat(echo.get("inputSchema").get("properties").has("message")).isTrue();
	}

	@Test
	void toolsCallReturnsTheUpstreamResultUnchanged() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode result = client.result("tools/call",
				"{\"name\":\"everything___get-sum\",\"arguments\":{\"a\":2,\"b\":40}}");
		assertThat(result.get("content").get(0).get("text").asString()).contains("42");
		JsonNode image = client.result("tools/call", "{\"name\":\"everything___get-tiny-image\",\"arguments\":{}}");
		JsonNode imageContent = null;
		for (JsonNode c : image.get("content")) {
			if ("image".equals(c.get("type").asString())) {
				imageContent = c;
			}
		}
		assertThat(imageContent).isNotNull();
		assertThat(imageContent.get("mimeType").asString()).isEqualTo("image/png");
		assertThat(imageContent.get("data").asString()).isNotEmpty();
		JsonNode structured = client.result("tools/call",
				"{\"name\":\"everything___get-structured-content\",\"arguments\":{\"location\":\"New York\"}}");
		assertThat(structured.get("structuredContent").has("temperature")).isTrue();
	}

	@Test
	void progressNotificationsArriveOnTheCallStreamWithTheAgentsToken() {
		McpTestClient client = gateway.client();
		client.initialize();
		McpTestClient.Reply reply = client.request("tools/call",
				"{\"name\":\"everything___trigger-long-running-operation\",\"arguments\":{\"duration\":1,\"steps\":3},"
						+ "\"_meta\":{\"progressToken\":\"tok-7\"}}");
		assertThat(reply.isSse()).isTrue();
		List<JsonNode> messages = reply.messages();
		List<JsonNode> progress = messages.stream()
			.filter((m) -> "notifications/progress".equals(m.path("method").asString(null)))
			.toList();
		assertThat(progress).hasSize(3);
		assertThat(progress).allMatch((p) -> p.get("params").get("progressToken").asString().equals("tok-7"));
		assertThat(progress.get(2).get("params").get("progress").asInt()).isEqualTo(3);
		assertThat(messages.get(messages.size() - 1).get("result").get("content").get(0).get("text").asString())
			.contains("Long running operation completed");
	}

	@Test
	void promptsAndResourcesAreExposedWithTheirTargetNamespace() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode prompts = client.result("prompts/list", "{}").get("prompts");
		assertThat(find(prompts, "everything___simple-prompt")).isNotNull();
		JsonNode prompt = client.result("prompts/get", "{\"name\":\"everything___simple-prompt\"}");
		assertThat(prompt.get("messages").size()).isPositive();
		JsonNode resources = client.result("resources/list", "{}").get("resources");
		String uri = null;
		for (JsonNode r : resources) {
			if (r.get("uri").asString().startsWith("everything+")) {
				uri = r.get("uri").asString();
				break;
			}
		}
		assertThat(uri).isNotNull();
		JsonNode read = client.result("resources/read", "{\"uri\":\"" + uri + "\"}");
		assertThat(read.get("contents").get(0).get("uri").asString()).isEqualTo(uri);
	}

	@Test
	void aTargetOnTheOldHttpSseTransportWorksToo() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode result = client.result("tools/call", "{\"name\":\"legacy___echo\",\"arguments\":{\"message\":\"old\"}}");
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo("Echo: old");
		McpTestClient.Reply reply = client.request("tools/call",
				"{\"name\":\"legacy___trigger-long-running-operation\",\"arguments\":{\"duration\":1,\"steps\":2},"
						+ "\"_meta\":{\"progressToken\":5}}");
		List<JsonNode> progress = reply.messages()
			.stream()
			.filter((m) -> "notifications/progress".equals(m.path("method").asString(null)))
			.toList();
		assertThat(progress).hasSize(2);
		assertThat(progress.get(0).get("params").get("progressToken").asInt()).isEqualTo(5);
	}

	static JsonNode find(JsonNode array, String name) {
		for (JsonNode item : array) {
			if (name.equals(item.path("name").asString(null))) {
				return item;
			}
		}
		return null;
	}
}
