package dev.gatehouse.demo.tools;

import dev.gatehouse.demo.ToolResults;
import static dev.gatehouse.demo.tools.ToolArguments.reportingInvalidArguments;

import java.util.StringJoiner;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import org.jspecify.annotations.Nullable;

/**
 * {@code slow_countdown}: counts down from {@code steps}, waiting {@code delayMs} before
 * each step and, when the request carries a {@code progressToken}, sending one
 * {@code notifications/progress} per step (progress {@code 1..steps} of total
 * {@code steps}). For exercising progress relay, long calls and timeouts.
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress">MCP
 * progress</a>
 */
final class SlowCountdownTool {

	static final int MAX_STEPS = 20;

	static final int MAX_DELAY_MS = 2000;

	static final int DEFAULT_DELAY_MS = 250;

	private SlowCountdownTool() {
	}

	static SyncToolSpecification specification() {
		return SyncToolSpecification.builder()
			.tool(Tool
				.builder("slow_countdown",
						ToolResults
							.schema("""
									{
									  "type": "object",
									  "properties": {
									    "steps": {"type": "integer", "minimum": 1, "maximum": 20, "description": "Where to count down from"},
									    "delayMs": {
									      "type": "integer",
									      "minimum": 0,
									      "maximum": 2000,
									      "description": "Pause before each step, in milliseconds. Default 250."
									    }
									  },
									  "required": ["steps"],
									  "additionalProperties": false
									}"""))
				.title("Slow countdown")
				.description("Counts down from 'steps' to 1, pausing 'delayMs' before each step and reporting progress "
						+ "after each step when the caller asked for progress.")
				.annotations(
						ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true).openWorldHint(false).build())
				.build())
			.callHandler(SlowCountdownTool::handle)
			.build();
	}

	private static CallToolResult handle(McpSyncServerExchange exchange, CallToolRequest request) {
		Object progressToken = (request.meta() != null) ? request.meta().get("progressToken") : null;
		return reportingInvalidArguments((ignored, arguments) -> countdown(exchange, progressToken,
				arguments.integer("steps", 1, MAX_STEPS, null),
				arguments.integer("delayMs", 0, MAX_DELAY_MS, DEFAULT_DELAY_MS)))
			.apply(exchange, request);
	}

	private static CallToolResult countdown(McpSyncServerExchange exchange, @Nullable Object progressToken, int steps,
			int delayMs) {
		StringJoiner counted = new StringJoiner(", ", "Countdown from " + steps + " finished: ", ", liftoff!");
		for (int remaining = steps; remaining >= 1; remaining--) {
			if (!pause(delayMs)) {
				return ToolResults.error("Countdown interrupted at " + remaining);
			}
			counted.add(Integer.toString(remaining));
			if (progressToken != null) {
				int done = steps - remaining + 1;
				exchange.progressNotification(ProgressNotification.builder(progressToken, done)
					.total((double) steps)
					.message(remaining + "...")
					.build());
			}
		}
		return ToolResults.text(counted.toString());
	}

	private static boolean pause(int millis) {
		if (millis == 0) {
			return true;
		}
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
