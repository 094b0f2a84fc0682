package dev.gatehouse.demo;

import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.gatehouse.demo.host.McpServerHost;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.Implementation;

/**
 * The MCP Java SDK's own client, pointed at a {@link McpServerHost}. Clients are returned
 * uninitialized.
 */
public final class TestClients {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private TestClients() {
	}

	public static McpSyncClient streamable(McpServerHost host) {
		return streamable(host, UnaryOperator.identity(), UnaryOperator.identity());
	}

	public static McpSyncClient streamable(McpServerHost host,
			UnaryOperator<HttpClientStreamableHttpTransport.Builder> transport,
			UnaryOperator<McpClient.SyncSpec> client) {
		HttpClientStreamableHttpTransport.Builder builder = HttpClientStreamableHttpTransport.builder(host.baseUrl())
			.endpoint("/mcp")
			.connectTimeout(TIMEOUT);
		return client
			.apply(McpClient.sync(transport.apply(builder).build())
				.clientInfo(new Implementation("gatehouse-demo-tests", "1.0.0"))
				.requestTimeout(TIMEOUT)
				.initializationTimeout(TIMEOUT))
			.build();
	}

	public static McpSyncClient legacySse(McpServerHost host) {
		HttpClientSseClientTransport transport = HttpClientSseClientTransport.builder(host.baseUrl())
			.sseEndpoint("/sse")
			.connectTimeout(TIMEOUT)
			.build();
		return McpClient.sync(transport)
			.clientInfo(new Implementation("gatehouse-demo-tests", "1.0.0"))
			.requestTimeout(TIMEOUT)
			.initializationTimeout(TIMEOUT)
			.build();
	}

}
