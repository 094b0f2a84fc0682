package dev.gatehouse.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * Result and schema helpers shared by the demo servers' tools.
 */
public final class ToolResults {

	private static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();

	private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
	};

	private ToolResults() {
	}

	public static CallToolResult text(String text) {
		return CallToolResult.builder().content(List.of(TextContent.builder(text).build())).isError(false).build();
	}

	/**
	 * A tool-level failure the model can read and correct: {@code isError: true} with the
	 * reason as text.
	 */
	public static CallToolResult error(String message) {
		return CallToolResult.builder().content(List.of(TextContent.builder(message).build())).isError(true).build();
	}

	/**
	 * Structured output plus its JSON text copy, which the spec recommends for clients
	 * that ignore {@code structuredContent}.
	 */
	public static CallToolResult structured(Map<String, Object> value) {
		return CallToolResult.builder()
			.structuredContent(value)
			.content(List.of(TextContent.builder(write(value)).build()))
			.isError(false)
			.build();
	}

	/**
	 * Parses a JSON object written in the source (schemas), keeping its key order.
	 */
	public static Map<String, Object> schema(String json) {
		try {
			return MAPPER.readValue(json, OBJECT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Invalid JSON schema in the source", ex);
		}
	}

	private static String write(Object value) {
		try {
			return MAPPER.writeValueAsString(value);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write JSON", ex);
		}
	}

}
