package dev.gatehouse.demo.conformance;

import static dev.gatehouse.demo.conformance.FixtureTools.NO_ARGUMENTS;
import static dev.gatehouse.demo.conformance.FixtureTools.arguments;
import static dev.gatehouse.demo.conformance.FixtureTools.pause;
import static dev.gatehouse.demo.conformance.FixtureTools.text;
import static dev.gatehouse.demo.conformance.FixtureTools.tool;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * Fixture tools that talk back to the client while a call is in progress: log messages
 * ({@code tools-call-with-logging}), progress ({@code tools-call-with-progress}),
 * sampling ({@code tools-call-sampling}) and elicitation ({@code tools-call-elicitation},
 * {@code elicitation-sep1034-defaults}, {@code elicitation-sep1330-enums}).
 *
 * <p>
 * The elicitation schemas are the conformance suite's requests verbatim; its client
 * validates them before its handler runs, and the scenarios then inspect the raw
 * {@code requestedSchema} (defaults and their JSON types, {@code oneOf},
 * {@code enumNames}, {@code items.anyOf}).
 */
final class InteractiveTools {

	private static final Duration STEP_DELAY = Duration.ofMillis(50);

	private static final Map<String, Object> SAMPLING_INPUT = FixtureJson.object("""
			{
			  "type": "object",
			  "properties": {"prompt": {"type": "string", "description": "The prompt to send to the LLM"}},
			  "required": ["prompt"]
			}""");

	private static final Map<String, Object> ELICITATION_INPUT = FixtureJson.object("""
			{
			  "type": "object",
			  "properties": {"message": {"type": "string", "description": "The message to show the user"}},
			  "required": ["message"]
			}""");

	/**
	 * {@code tools-call-elicitation}: the schema of the scenario description and the Java
	 * reference.
	 */
	static final Map<String, Object> USER_SCHEMA = FixtureJson.object("""
			{
			  "type": "object",
			  "properties": {
			    "username": {"type": "string", "description": "User's response"},
			    "email": {"type": "string", "description": "User's email address"}
			  },
			  "required": ["username", "email"]
			}""");

	/**
	 * SEP-1034: a default for every primitive type; 30 must stay an integer, 95.5 a
	 * number.
	 */
	static final Map<String, Object> SEP1034_SCHEMA = FixtureJson.object("""
			{
			  "type": "object",
			  "properties": {
			    "name": {"type": "string", "description": "User name", "default": "John Doe"},
			    "age": {"type": "integer", "description": "User age", "default": 30},
			    "score": {"type": "number", "description": "User score", "default": 95.5},
			    "status": {
			      "type": "string",
			      "description": "User status",
			      "enum": ["active", "inactive", "pending"],
			      "default": "active"
			    },
			    "verified": {"type": "boolean", "description": "Verification status", "default": true}
			  },
			  "required": []
			}""");

	/**
	 * SEP-1330: untitled, titled ({@code oneOf}) and legacy ({@code enumNames})
	 * single-select; two multi-selects.
	 */
	static final Map<String, Object> SEP1330_SCHEMA = FixtureJson.object("""
			{
			  "type": "object",
			  "properties": {
			    "untitledSingle": {
			      "type": "string",
			      "description": "Select one option",
			      "enum": ["option1", "option2", "option3"]
			    },
			    "titledSingle": {
			      "type": "string",
			      "description": "Select one option with titles",
			      "oneOf": [
			        {"const": "value1", "title": "First Option"},
			        {"const": "value2", "title": "Second Option"},
			        {"const": "value3", "title": "Third Option"}
			      ]
			    },
			    "legacyEnum": {
			      "type": "string",
			      "description": "Select one option (legacy)",
			      "enum": ["opt1", "opt2", "opt3"],
			      "enumNames": ["Option One", "Option Two", "Option Three"]
			    },
			    "untitledMulti": {
			      "type": "array",
			      "description": "Select multiple options",
			      "minItems": 1,
			      "maxItems": 3,
			      "items": {"type": "string", "enum": ["option1", "option2", "option3"]}
			    },
			    "titledMulti": {
			      "type": "array",
			      "description": "Select multiple options with titles",
			      "minItems": 1,
			      "maxItems": 3,
			      "items": {
			        "anyOf": [
			          {"const": "value1", "title": "First Choice"},
			          {"const": "value2", "title": "Second Choice"},
			          {"const": "value3", "title": "Third Choice"}
			        ]
			      }
			    }
			  },
			  "required": []
			}""");

	private InteractiveTools() {
	}

	static List<SyncToolSpecification> all() {
		return List.of(
				tool("test_tool_with_logging", "Tests tool that emits log messages during execution", NO_ARGUMENTS,
						(exchange, request) -> withLogging(exchange)),
				tool("test_tool_with_progress", "Tests tool that reports progress notifications", NO_ARGUMENTS,
						InteractiveTools::withProgress),
				tool("test_sampling", "Tests server-initiated sampling (LLM completion request)", SAMPLING_INPUT,
						InteractiveTools::sampling),
				tool("test_elicitation", "Tests server-initiated elicitation (user input request)", ELICITATION_INPUT,
						(exchange, request) -> elicit(exchange, stringArgument(request, "message"), USER_SCHEMA,
								"User response: ")),
				tool("test_elicitation_sep1034_defaults", "Tests elicitation with default values per SEP-1034",
						NO_ARGUMENTS,
						(exchange, request) -> elicit(exchange,
								"Please review and update the form fields with defaults", SEP1034_SCHEMA,
								"Elicitation completed: ")),
				tool("test_elicitation_sep1330_enums", "Tests elicitation with enum schema improvements per SEP-1330",
						NO_ARGUMENTS,
						(exchange, request) -> elicit(exchange, "Please select options from the enum fields",
								SEP1330_SCHEMA, "Elicitation completed: ")));
	}

	/**
	 * Three info-level messages, 50 ms apart, all before the result (the scenario counts
	 * at least three).
	 */
	private static CallToolResult withLogging(McpSyncServerExchange exchange) {
		log(exchange, "Tool execution started");
		pause(STEP_DELAY);
		log(exchange, "Tool processing data");
		pause(STEP_DELAY);
		log(exchange, "Tool execution completed");
		return text("Tool with logging executed successfully");
	}

	private static void log(McpSyncServerExchange exchange, String data) {
		exchange.loggingNotification(LoggingMessageNotification.builder(LoggingLevel.INFO, data).build());
	}

	/**
	 * Progress 0, 50 and 100 of 100, 50 ms apart, on the caller's own
	 * {@code progressToken}. Without a token the spec forbids progress notifications, so
	 * none are sent.
	 */
	private static CallToolResult withProgress(McpSyncServerExchange exchange, CallToolRequest request) {
		Object progressToken = (request.meta() != null) ? request.meta().get("progressToken") : null;
		if (progressToken == null) {
			return text("Tool execution completed without progress");
		}
		for (int step = 0; step <= 100; step += 50) {
			if (step > 0) {
				pause(STEP_DELAY);
			}
			exchange.progressNotification(ProgressNotification.builder(progressToken, step)
				.total(100.0)
				.message("Completed step " + step + " of 100")
				.build());
		}
		return text("Tool execution completed with progress");
	}

	private static CallToolResult sampling(McpSyncServerExchange exchange, CallToolRequest request) {
		CreateMessageRequest samplingRequest = CreateMessageRequest.builder(List
			.of(SamplingMessage.builder(Role.USER, TextContent.builder(stringArgument(request, "prompt")).build())
				.build()), 100)
			.build();
		try {
			CreateMessageResult response = exchange.createMessage(samplingRequest);
			String answer = (response.content() instanceof TextContent textContent) ? textContent.text()
					: "No response";
			return text("LLM response: " + answer);
		}
		catch (RuntimeException ex) {
			// As the reference fixture: any failure of the server-to-client request
			// (missing client
			// capability, JSON-RPC error, timeout) becomes a readable text result, not a
			// protocol error.
			return text("Sampling not supported or error: " + ex.getMessage());
		}
	}

	private static CallToolResult elicit(McpSyncServerExchange exchange, String message,
			Map<String, Object> requestedSchema, String prefix) {
		try {
			ElicitResult response = exchange.createElicitation(ElicitRequest.builder(message, requestedSchema).build());
			Map<String, Object> content = Objects.requireNonNullElse(response.content(), Map.of());
			return text(prefix + "action=" + response.action().name().toLowerCase(Locale.ROOT) + ", content="
					+ FixtureJson.write(content));
		}
		catch (RuntimeException ex) {
			// Same policy as sampling: report, don't fail the call.
			return text("Elicitation not supported or error: " + ex.getMessage());
		}
	}

	private static String stringArgument(CallToolRequest request, String name) {
		Object value = arguments(request).get(name);
		return (value != null) ? value.toString() : "";
	}

}
