package dev.gatehouse.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.demo.host.McpServerHost;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

/**
 * An upstream MCP server for gateway tests, built with the MCP Java SDK: tools that count their calls, sleep,
 * fail as a tool, fail as a protocol error, and tools that can be added, removed or changed while it runs.
 */
public final class TestUpstream implements AutoCloseable {

	private final McpServerHost host;

	private final AtomicInteger calls;

	private TestUpstream(McpServerHost host, AtomicInteger calls) {
		this.host = host;
		this.calls = calls;
	}

	public static TestUpstream start() {
		return start(0, null, null);
	}

	/** Starts one on a given port, to restart a server at the same address. */
	public static TestUpstream startOnPort(int port) {
		return start(0, null, null, port);
	}

	/** Starts one with {@code extraTools} more tools named {@code tool_00}, {@code tool_01}…, and an API key. */
	public static TestUpstream start(int extraTools, String apiKeyHeader, String apiKey) {
		return start(extraTools, apiKeyHeader, apiKey, 0);
	}

	private static TestUpstream start(int extraTools, String apiKeyHeader, String apiKey, int port) {
		AtomicInteger calls = new AtomicInteger();
		McpServerHost.Builder builder = McpServerHost.builder().name("test-upstream").port(port).server((spec) -> {
			List<SyncToolSpecification> tools = new ArrayList<>(List.of(count(calls), slow(calls), fail(calls),
					boom(calls), echo(calls)));
			for (int i = 0; i < extraTools; i++) {
				tools.add(simple(String.format("tool_%02d", i), "Extra tool " + i));
			}
			return spec.capabilities(ServerCapabilities.builder().tools(true).logging().build()).tools(tools).build();
		});
		if (apiKey != null) {
			builder.apiKey(apiKeyHeader, apiKey);
		}
		return new TestUpstream(builder.start(), calls);
	}

	/** How many tool calls reached this server. */
	public int calls() {
		return calls.get();
	}

	public String url() {
		return host.url();
	}

	public McpSyncServer server() {
		return host.syncServer();
	}

	/** Adds a tool (or replaces one of the same name) and tells connected clients the list changed. */
	public void putTool(String name, String description) {
		// addTool replaces a tool of the same name in one step; removing it first let a sync triggered by the
		// removal's list_changed notification see the tool gone (drift "removed" then "added", not "changed")
		server().addTool(simple(name, description));
		server().notifyToolsListChanged();
	}

	public void removeTool(String name) {
		server().removeTool(name);
		server().notifyToolsListChanged();
	}

	@Override
	public void close() {
		host.close();
	}

	static Map<String, Object> schema(Map<String, Object> properties) {
		return Map.of("type", "object", "properties", properties);
	}

	static SyncToolSpecification simple(String name, String description) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder(name, schema(Map.of())).description(description).build())
			.callHandler((exchange, request) -> text(name + " ran"))
			.build();
	}

	private static SyncToolSpecification count(AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("count", schema(Map.of())).description("Counts its calls").build())
			.callHandler((exchange, request) -> text("call " + calls.incrementAndGet()))
			.build();
	}

	private static SyncToolSpecification echo(AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("echo", schema(Map.of("text", Map.of("type", "string"))))
				.title("Echo")
				.description("Returns its text")
				.build())
			.callHandler((exchange, request) -> {
				calls.incrementAndGet();
				return text(String.valueOf(request.arguments().get("text")));
			})
			.build();
	}

	private static SyncToolSpecification slow(AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("slow", schema(Map.of("ms", Map.of("type", "integer"))))
				.description("Sleeps for ms milliseconds")
				.build())
			.callHandler((exchange, request) -> {
				calls.incrementAndGet();
				long ms = ((Number) request.arguments().getOrDefault("ms", 1000)).longValue();
				try {
					Thread.sleep(ms);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return text("slept " + ms);
			})
			.build();
	}

	private static SyncToolSpecification fail(AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("fail", schema(Map.of())).description("Fails as a tool").build())
			.callHandler((exchange, request) -> {
				calls.incrementAndGet();
				return CallToolResult.builder(List.of(TextContent.builder("the tool failed").build()))
					.isError(true)
					.build();
			})
			.build();
	}

	private static SyncToolSpecification boom(AtomicInteger calls) {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("boom", schema(Map.of())).description("Fails with a protocol error").build())
			.callHandler((exchange, request) -> {
				calls.incrementAndGet();
				throw McpError.builder(ErrorCodes.INVALID_PARAMS).message("boom exploded").build();
			})
			.build();
	}

	static CallToolResult text(String text) {
		return CallToolResult.builder(List.of(TextContent.builder(text).build())).build();
	}
}
