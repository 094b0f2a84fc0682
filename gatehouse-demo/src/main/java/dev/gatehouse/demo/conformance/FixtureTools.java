package dev.gatehouse.demo.conformance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * Building blocks shared by the fixture's tool groups.
 */
final class FixtureTools {

	/** The input schema of every fixture tool that takes no arguments. */
	static final Map<String, Object> NO_ARGUMENTS = FixtureJson.object("""
			{"type": "object", "properties": {}}""");

	private FixtureTools() {
	}

	static SyncToolSpecification tool(String name, String description, Map<String, Object> inputSchema,
			BiFunction<McpSyncServerExchange, CallToolRequest, CallToolResult> handler) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder(name, inputSchema).description(description).build())
			.callHandler(handler)
			.build();
	}

	static CallToolResult result(Content... content) {
		return CallToolResult.builder().content(List.of(content)).isError(false).build();
	}

	static CallToolResult text(String text) {
		return result(TextContent.builder(text).build());
	}

	/**
	 * Sleeps, keeping the interrupt flag if interrupted.
	 * @param duration how long
	 * @return {@code false} if the thread was interrupted
	 */
	static boolean pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static Map<String, Object> arguments(CallToolRequest request) {
		// The suite calls test_simple_text with no "arguments" key at all.
		return (request.arguments() != null) ? request.arguments() : Map.of();
	}

}
