package dev.gatehouse.demo.tools;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.host.SyncServerDefinition;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * The plain demo upstream, {@value #SERVER_NAME}: no authentication, deterministic
 * answers.
 *
 * <ul>
 * <li>{@code echo {text}} returns the text;</li>
 * <li>{@code add {a, b}} returns {@code {"sum": a + b}} as {@code structuredContent}
 * (with an {@code outputSchema}) and as JSON text;</li>
 * <li>{@code current_time {timeZone?}} returns the injected clock's time in ISO 8601, UTC
 * by default; an unknown zone gives an {@code isError} result that says how to fix
 * it;</li>
 * <li>{@code word_count {text}} returns {@code {words, characters, lines}} as structured
 * output;</li>
 * <li>{@code slow_countdown {steps 1..20, delayMs 0..2000}} sends one progress
 * notification per step when the request has a {@code progressToken}, then returns
 * text.</li>
 * </ul>
 * Resource {@value #README_URI} (Markdown) and prompt {@code summarize {text}}.
 * Capabilities: {@code tools.listChanged} (tools may be added at runtime through
 * {@link McpServerHost#syncServer()}), {@code resources}, {@code prompts}.
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/server/tools#structured-content">MCP
 * structured tool output</a>
 */
public final class DemoToolsServer {

	/** {@code serverInfo.name}. */
	public static final String SERVER_NAME = "demo-tools";

	/** The URI of the one resource. */
	public static final String README_URI = "demo://readme";

	static final String README = """
			# demo-tools

			A small MCP server that Gatehouse puts behind its gateway for demos and tests.

			| tool | arguments | result |
			|---|---|---|
			| `echo` | `text` | the same text |
			| `add` | `a`, `b` (numbers) | `{"sum": a + b}` (structured) |
			| `current_time` | `timeZone` (optional IANA ID) | ISO 8601 date-time |
			| `word_count` | `text` | `{"words", "characters", "lines"}` (structured) |
			| `slow_countdown` | `steps` 1..20, `delayMs` 0..2000 | text, with one progress notification per step |

			The prompt `summarize` takes a `text` argument.
			""";

	private DemoToolsServer() {
	}

	/**
	 * The server definition, for
	 * {@link McpServerHost.Builder#server(SyncServerDefinition)}.
	 * @param clock the clock {@code current_time} reads, {@code Clock.systemUTC()} in
	 * production
	 * @return the definition
	 */
	public static SyncServerDefinition definition(Clock clock) {
		Objects.requireNonNull(clock, "clock must not be null");
		return specification -> specification
			.capabilities(ServerCapabilities.builder().tools(true).resources(false, false).prompts(false).build())
			.instructions("Deterministic demo tools: echo, add, current_time, word_count, slow_countdown.")
			.tools(TextTools.echo(), AddTool.specification(), CurrentTimeTool.specification(clock),
					TextTools.wordCount(), SlowCountdownTool.specification())
			.resources(readme())
			.prompts(summarize())
			.build();
	}

	/**
	 * A host builder named {@value #SERVER_NAME} with this definition; set the port, then
	 * {@code start()}.
	 * @param clock the clock {@code current_time} reads
	 * @return a new builder
	 */
	public static McpServerHost.Builder host(Clock clock) {
		return McpServerHost.builder().name(SERVER_NAME).server(definition(clock));
	}

	private static SyncResourceSpecification readme() {
		return new SyncResourceSpecification(
				Resource.builder(README_URI, "readme")
					.title("demo-tools README")
					.description("What the demo tools do and which arguments they take")
					.mimeType("text/markdown")
					.build(),
				(exchange, request) -> ReadResourceResult
					.builder(
							List.of(TextResourceContents.builder(README_URI, README).mimeType("text/markdown").build()))
					.build());
	}

	private static SyncPromptSpecification summarize() {
		return new SyncPromptSpecification(Prompt.builder("summarize")
			.title("Summarize")
			.description("Asks the model for a short summary of a text")
			.arguments(
					List.of(PromptArgument.builder("text").description("The text to summarize").required(true).build()))
			.build(), (exchange, request) -> summarizeMessages(request));
	}

	private static GetPromptResult summarizeMessages(GetPromptRequest request) {
		Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
		Object text = arguments.get("text");
		if (!(text instanceof String) || ((String) text).isBlank()) {
			throw McpError.builder(ErrorCodes.INVALID_PARAMS)
				.message("Prompt 'summarize' requires a non-empty 'text' argument")
				.build();
		}
		String instruction = "Summarize the following text in at most three sentences. Keep names, numbers and "
				+ "dates exactly as written.\n\n" + text;
		return GetPromptResult
			.builder(List.of(PromptMessage.builder(Role.USER, TextContent.builder(instruction).build()).build()))
			.description("Summary request")
			.build();
	}

}
