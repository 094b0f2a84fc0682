package dev.gatehouse.server.mcp;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies that are not well-formed UTF-8 are refused wherever the gateway reads them, and never reach a
 * target: on {@code /mcp} with a −32700 parse error naming the byte offset, on the admin API with a 400
 * problem, and from a target as an error instead of its decoded text.
 */
class MalformedUtf8Tests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	static final List<JsonNode> forwarded = new CopyOnWriteArrayList<>();

	static TestGateway gateway;

	static FakeMcpServer target;

	static FakeMcpServer overlongAnswer;

	static FakeMcpServer overlongStream;

	@BeforeAll
	static void start() {
		gateway = TestGateway.builder().start();
		target = FakeMcpServer.start((message) -> {
			forwarded.add(message);
			return new FakeMcpServer.Answer(200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
					+ ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}}");
		});
		overlongAnswer = FakeMcpServer.start((message) -> FakeMcpServer.Answer.raw(200, "application/json",
				concat("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
						+ ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"..", new int[] { 0xC0, 0xAF },
						"etc\"}]}}")));
		gateway.admin().register("{\"name\":\"fake\",\"endpoint\":\"" + target.url() + "\"}");
		overlongStream = FakeMcpServer.start((message) -> FakeMcpServer.Answer.raw(200, "text/event-stream",
				concat("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
						+ ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"..", new int[] { 0xC0, 0xAF },
						"etc\"}]}}\n\n")));
		gateway.admin().register("{\"name\":\"liar\",\"endpoint\":\"" + overlongAnswer.url() + "\"}");
		gateway.admin().register("{\"name\":\"streamer\",\"endpoint\":\"" + overlongStream.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		target.close();
		overlongAnswer.close();
		overlongStream.close();
	}

	@Test
	void toolsCallWhenBodyIsNotWellFormedUtf8ThenParseError400NamingTheOffsetAndNothingForwarded() throws Exception {
		McpTestClient client = gateway.client();
		client.initialize();
		String prefix = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"fake___x\","
				+ "\"arguments\":{\"path\":\"..";
		int offset = prefix.length();
		assertThat(post(client, concat(prefix, new int[] { '/' }, "etc/passwd\"}}}")).statusCode()).isEqualTo(200);
		assertThat(forwarded).as("the well-formed control call reaches the target").hasSize(1);
		int[][] malformed = { { 0xC0, 0xAF }, { 0xE0, 0x80, 0xAF }, { 0xED, 0xA0, 0x80 }, { 0xF5, 0x80, 0x80, 0x80 },
				{ 0xF4, 0x90, 0x80, 0x80 }, { 0x80 }, { 0xE2, 0x82 } };
		for (int[] bad : malformed) {
			HttpResponse<String> reply = post(client, concat(prefix, bad, "etc/passwd\"}}}"));
			assertThat(reply.statusCode()).as(reply.body()).isEqualTo(400);
			JsonNode error = McpTestClient.JSON.readTree(reply.body()).get("error");
			assertThat(error.get("code").asInt()).isEqualTo(-32700);
			assertThat(error.get("message").asString())
				.startsWith("Parse error: the body is not well-formed UTF-8 at byte offset " + offset + ": ");
		}
		HttpResponse<String> cutAtEnd = post(client, concat("{\"jsonrpc\":\"2.0\",\"id\":8", new int[] { 0xF0, 0x9F },
				""));
		assertThat(cutAtEnd.statusCode()).isEqualTo(400);
		assertThat(cutAtEnd.body()).contains("byte offset 23").contains("incomplete sequence");
		assertThat(forwarded).as("nothing malformed was forwarded").hasSize(1);
	}

	@Test
	void toolsCallWhenTargetAnswersOverlongUtf8ThenErrorNamingTheTargetAndNotItsText() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode response = client.request("tools/call", "{\"name\":\"liar___x\",\"arguments\":{}}").response();
		assertThat(response.has("result")).as(response.toString()).isFalse();
		assertThat(response.get("error").get("message").asString()).contains("Target 'liar'")
			.contains("not well-formed UTF-8 at byte offset");
		assertThat(response.toString()).doesNotContain("../etc");
	}

	@Test
	void toolsCallWhenTargetStreamsOverlongUtf8ThenErrorNamingTheTargetAndNotItsText() {
		McpTestClient client = gateway.client();
		client.initialize();
		JsonNode response = client.request("tools/call", "{\"name\":\"streamer___x\",\"arguments\":{}}").response();
		assertThat(response.has("result")).as(response.toString()).isFalse();
		assertThat(response.get("error").get("message").asString()).contains("Target 'streamer'")
			.contains("not well-formed UTF-8 at byte offset");
		assertThat(response.toString()).doesNotContain("../etc").doesNotContain("\uFFFD");
	}

	@Test
	void adminApiWhenBodyIsNotWellFormedUtf8ThenProblem400AndNothingStored() throws Exception {
		byte[] target = concat("{\"name\":\"ev", new int[] { 0xC0, 0xAF }, "il\",\"endpoint\":\"" + this.target.url()
				+ "\"}");
		HttpResponse<String> created = send("POST", "/admin/api/targets", target);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
		assertThat(created.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(created.body()).contains("not well-formed UTF-8 at byte offset 11");
		assertThat(gateway.admin().get("/admin/api/targets").body()).doesNotContain("\"ev").doesNotContain("il\"");
		String policyBefore = gateway.admin().get("/admin/api/policy").body();
		HttpResponse<String> policy = send("PUT", "/admin/api/policy",
				concat("{\"rules\":[{\"role\":\"", new int[] { 0xED, 0xB0, 0x80 }, "\"}]}"));
		assertThat(policy.statusCode()).as(policy.body()).isEqualTo(400);
		assertThat(policy.body()).contains("byte offset 19").contains("encoded surrogate");
		assertThat(gateway.admin().get("/admin/api/policy").body()).isEqualTo(policyBefore);
	}

	private static HttpResponse<String> post(McpTestClient client, byte[] body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(client.url()))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", client.sessionId())
			.header("MCP-Protocol-Version", "2025-11-25")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static byte[] concat(String before, int[] bytes, String after) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
		for (int b : bytes) {
			out.write(b);
		}
		out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
		return out.toByteArray();
	}
}
