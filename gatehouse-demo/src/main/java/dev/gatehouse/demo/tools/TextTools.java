package dev.gatehouse.demo.tools;

import dev.gatehouse.demo.ToolResults;
import static dev.gatehouse.demo.tools.ToolArguments.reportingInvalidArguments;

import java.util.LinkedHashMap;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/**
 * {@code echo} and {@code word_count}.
 */
final class TextTools {

	private static final ToolAnnotations PURE = ToolAnnotations.builder()
		.readOnlyHint(true)
		.idempotentHint(true)
		.openWorldHint(false)
		.build();

	private TextTools() {
	}

	static SyncToolSpecification echo() {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("echo", ToolResults.schema("""
					{
					  "type": "object",
					  "properties": {"text": {"type": "string", "description": "The text to send back"}},
					  "required": ["text"],
					  "additionalProperties": false
					}""")).title("Echo").description("Returns the given text unchanged.").annotations(PURE).build())
			.callHandler(reportingInvalidArguments((exchange, arguments) -> ToolResults.text(arguments.string("text"))))
			.build();
	}

	static SyncToolSpecification wordCount() {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("word_count", ToolResults.schema("""
					{
					  "type": "object",
					  "properties": {"text": {"type": "string", "description": "The text to count"}},
					  "required": ["text"],
					  "additionalProperties": false
					}"""))
				.title("Word count")
				.description("Counts the words (runs of non-whitespace), characters (Unicode code points) and lines "
						+ "of a text.")
				.outputSchema(ToolResults.schema("""
						{
						  "type": "object",
						  "properties": {
						    "words": {"type": "integer", "minimum": 0},
						    "characters": {"type": "integer", "minimum": 0},
						    "lines": {"type": "integer", "minimum": 0}
						  },
						  "required": ["words", "characters", "lines"]
						}"""))
				.annotations(PURE)
				.build())
			.callHandler(reportingInvalidArguments((exchange, arguments) -> count(arguments.string("text"))))
			.build();
	}

	static CallToolResult count(String text) {
		Map<String, Object> counts = new LinkedHashMap<>();
		counts.put("words", words(text));
		counts.put("characters", text.codePointCount(0, text.length()));
		counts.put("lines", text.lines().count());
		return ToolResults.structured(counts);
	}

	private static int words(String text) {
		int words = 0;
		boolean inWord = false;
		for (int codePoint : text.codePoints().toArray()) {
			boolean whitespace = Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
			if (!whitespace && !inWord) {
				words++;
			}
			inWord = !whitespace;
		}
		return words;
	}

}
