package dev.gatehouse.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.demo.RawHttp;
import dev.gatehouse.demo.TestClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpServerHostApiKeyTests {

	private static final String TOOLS_CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
			+ "\"params\":{\"name\":\"count\",\"arguments\":{}}}";

	private final AtomicInteger calls = new AtomicInteger();

	private McpServerHost host;

	@BeforeEach
	void start() {
		this.host = McpServerHost.builder()
			.apiKey("X-API-Key", "s3cret")
			.server(TestServers.counting(this.calls))
			.start();
	}

	@AfterEach
	void stop() {
		this.host.close();
	}

	@Test
	void postWhenApiKeyMissingThenRejectsWith401AndJsonBody() {
		HttpResponse<String> response = RawHttp.post(this.host.url(), RawHttp.INITIALIZE);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		assertThat(response.body())
			.isEqualTo("{\"error\":\"unauthorized\",\"error_description\":\"Missing or invalid X-API-Key header\"}");
		assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
	}

	@Test
	void postWhenApiKeyWrongThenRejectsWith401() {
		assertThat(RawHttp.post(this.host.url(), RawHttp.INITIALIZE, "X-API-Key", "s3cret!").statusCode())
			.isEqualTo(401);
		assertThat(RawHttp.post(this.host.url(), RawHttp.INITIALIZE, "X-API-Key", "").statusCode()).isEqualTo(401);
	}

	@Test
	void postWhenApiKeyRepeatedThenRejectsWith401() {
		assertThat(RawHttp.post(this.host.url(), RawHttp.INITIALIZE, "X-API-Key", "s3cret", "X-API-Key", "s3cret")
			.statusCode()).isEqualTo(401);
	}

	@Test
	void postWhenHeaderNameInOtherCaseThenAccepts() {
		assertThat(RawHttp.post(this.host.url(), RawHttp.INITIALIZE, "x-api-key", "s3cret").statusCode())
			.isEqualTo(200);
	}

	@Test
	void toolsCallWhenSessionValidButKeyMissingThenNothingReachesServer() {
		HttpResponse<String> initialized = RawHttp.post(this.host.url(), RawHttp.INITIALIZE, "X-API-Key", "s3cret");
		String sessionId = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

		HttpResponse<String> call = RawHttp.post(this.host.url(), TOOLS_CALL, "Mcp-Session-Id", sessionId,
				"MCP-Protocol-Version", "2025-11-25");

		assertThat(call.statusCode()).isEqualTo(401);
		assertThat(this.calls).hasValue(0);
	}

	@Test
	void initializeWhenSdkClientSendsKeyThenWorks() {
		try (McpSyncClient client = TestClients.streamable(this.host,
				transport -> transport.httpRequestCustomizer(
						(request, method, uri, body, context) -> request.header("X-API-Key", "s3cret")),
				spec -> spec)) {
			client.initialize();

			client.callTool(CallToolRequest.builder("count").build());

			assertThat(this.calls).hasValue(1);
		}
	}

	@Test
	void initializeWhenSdkClientHasNoKeyThenFails() {
		try (McpSyncClient client = TestClients.streamable(this.host)) {
			assertThatThrownBy(client::initialize)
				.hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
		}
		assertThat(this.calls).hasValue(0);
	}

}
