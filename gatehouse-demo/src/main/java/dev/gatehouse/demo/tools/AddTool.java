package dev.gatehouse.demo.tools;

import dev.gatehouse.demo.ToolResults;
import static dev.gatehouse.demo.tools.ToolArguments.reportingInvalidArguments;

import java.math.BigDecimal;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;

/**
 * {@code add}: the sum of two numbers, as structured output. Decimal arithmetic, so
 * {@code 0.1 + 0.2} is {@code 0.3}; an integral sum is returned as a JSON integer.
 */
final class AddTool {

	private AddTool() {
	}

	static SyncToolSpecification specification() {
		return SyncToolSpecification.builder()
			.tool(Tool.builder("add", ToolResults.schema("""
					{
					  "type": "object",
					  "properties": {
					    "a": {"type": "number", "description": "First addend"},
					    "b": {"type": "number", "description": "Second addend"}
					  },
					  "required": ["a", "b"],
					  "additionalProperties": false
					}"""))
				.title("Add")
				.description("Adds two numbers and returns {\"sum\": a + b}.")
				.outputSchema(ToolResults.schema("""
						{
						  "type": "object",
						  "properties": {"sum": {"type": "number", "description": "a + b"}},
						  "required": ["sum"]
						}"""))
				.annotations(
						ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true).openWorldHint(false).build())
				.build())
			.callHandler(reportingInvalidArguments((exchange, arguments) -> ToolResults
				.structured(Map.of("sum", toJsonNumber(arguments.number("a").add(arguments.number("b")))))))
			.build();
	}

	static Number toJsonNumber(BigDecimal value) {
		BigDecimal normalized = value.stripTrailingZeros();
		if (normalized.scale() <= 0) {
			return normalized.toBigIntegerExact();
		}
		return normalized.doubleValue();
	}

}
