package dev.gatehouse.demo.tools;

import dev.gatehouse.demo.ToolResults;
import static dev.gatehouse.demo.tools.ToolArguments.reportingInvalidArguments;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import org.jspecify.annotations.Nullable;

/**
 * {@code current_time}: the injected clock's instant, to the second, in ISO 8601 with
 * offset and zone ID (for example {@code 2026-05-14T12:15:30+02:00[Europe/Berlin]}).
 * Default zone UTC.
 */
final class CurrentTimeTool {

	static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

	private CurrentTimeTool() {
	}

	static SyncToolSpecification specification(Clock clock) {
		Objects.requireNonNull(clock, "clock must not be null");
		return SyncToolSpecification.builder()
			.tool(Tool
				.builder("current_time",
						ToolResults
							.schema("""
									{
									  "type": "object",
									  "properties": {
									    "timeZone": {
									      "type": "string",
									      "description": "IANA time zone ID such as Europe/Berlin (or a UTC offset such as +02:00). Default UTC."
									    }
									  },
									  "additionalProperties": false
									}"""))
				.title("Current time")
				.description("Returns the current date and time in ISO 8601 format, in UTC or the given time zone.")
				// Not idempotent: the answer changes with time.
				.annotations(ToolAnnotations.builder().readOnlyHint(true).openWorldHint(false).build())
				.build())
			.callHandler(reportingInvalidArguments(
					(exchange, arguments) -> currentTime(clock, arguments.optionalString("timeZone"))))
			.build();
	}

	static CallToolResult currentTime(Clock clock, @Nullable String timeZone) {
		ZoneId zone;
		try {
			zone = (timeZone != null) ? ZoneId.of(timeZone.strip()) : DEFAULT_ZONE;
		}
		catch (DateTimeException ex) {
			return ToolResults.error("Unknown time zone '" + timeZone
					+ "'. Use an IANA time zone ID such as 'Europe/Berlin' or 'America/New_York', or a UTC offset such as '+02:00'.");
		}
		ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone)).truncatedTo(ChronoUnit.SECONDS);
		return ToolResults.text(DateTimeFormatter.ISO_ZONED_DATE_TIME.format(now));
	}

}
