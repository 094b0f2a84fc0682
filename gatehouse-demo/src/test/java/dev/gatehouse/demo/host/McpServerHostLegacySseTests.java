package dev.gatehouse.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.demo.TestClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpTransportException;
import org.junit.jupiter.api.Test;

class McpServerHostLegacySseTests {

	@Test
	void startWhenLegacySseThenPublishesSseUrl() {
		try (McpServerHost host = McpServerHost.builder()
			.legacySse(true)
			.server(TestServers.counting(new AtomicInteger()))
			.start()) {
			assertThat(host.legacySse()).isTrue();
			assertThat(host.transportProvider()).isInstanceOf(HttpServletSseServerTransportProvider.class);
			assertThat(host.url()).isEqualTo("http://127.0.0.1:" + host.port() + "/sse");
		}
	}

	@Test
	void callToolWhenLegacySseClientThenNegotiates20241105AndWorks() {
		AtomicInteger calls = new AtomicInteger();
		try (McpServerHost host = McpServerHost.builder().legacySse(true).server(TestServers.counting(calls)).start();
				McpSyncClient client = TestClients.legacySse(host)) {
			String protocolVersion = client.initialize().protocolVersion();

			assertThat(protocolVersion).isEqualTo("2024-11-05");
			assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("count");
			CallToolResult result = client.callTool(CallToolRequest.builder("count").build());
			assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("1");
		}
	}

	@Test
	void initializeWhenStreamableClientAgainstLegacyHostThenFails() {
		try (McpServerHost host = McpServerHost.builder()
			.legacySse(true)
			.server(TestServers.counting(new AtomicInteger()))
			.start(); McpSyncClient client = TestClients.streamable(host)) {
			// No /mcp endpoint: this is the failure a client must detect before falling
			// back to HTTP+SSE.
			assertThatThrownBy(client::initialize).hasRootCauseInstanceOf(McpTransportException.class)
				.rootCause()
				.hasMessageContaining("404");
		}
	}

}
