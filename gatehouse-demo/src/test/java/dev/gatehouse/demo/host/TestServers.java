package dev.gatehouse.demo.host;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * Minimal server definitions for the host tests.
 */
final class TestServers {

	private TestServers() {
	}

	/** A tool that counts its calls and answers with the count. */
	static SyncToolSpecification countingTool(String name, AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder(name, Map.of("type", "object", "properties", Map.of()))
				.description("Counts calls")
				.build())
			.callHandler((exchange, request) -> CallToolResult.builder()
				.addTextContent(Integer.toString(calls.incrementAndGet()))
				.isError(false)
				.build())
			.build();
	}

	static SyncServerDefinition counting(AtomicInteger calls) {
		return specification -> specification.capabilities(ServerCapabilities.builder().tools(true).build())
			.tools(countingTool("count", calls))
			.build();
	}

}
