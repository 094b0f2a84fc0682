package dev.gatehouse.demo.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.host.SyncServerDefinition;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

/**
 * The server fixture of the MCP conformance suite 0.1.16 (server mode), built with the
 * MCP Java SDK.
 *
 * <p>
 * It passes all 30 active scenarios plus the pending {@code json-schema-2020-12};
 * {@code server-sse-polling} (SEP-1699 resumability, tool {@code test_reconnection})
 * cannot pass with SDK 2.1.0, which has no event store, priming event or {@code retry}
 * field, so that tool is absent. Names, schemas, texts and server-to-client requests
 * follow the suite's TypeScript reference fixture where the checks look at them, and the
 * SDK's Java reference fixture elsewhere:
 * <ul>
 * <li>tools: {@code test_simple_text}, {@code test_image_content},
 * {@code test_audio_content}, {@code test_embedded_resource},
 * {@code test_multiple_content_types}, {@code test_error_handling},
 * {@code test_tool_with_logging}, {@code test_tool_with_progress}, {@code test_sampling},
 * {@code test_elicitation}, {@code test_elicitation_sep1034_defaults},
 * {@code test_elicitation_sep1330_enums}, {@code json_schema_2020_12_tool};</li>
 * <li>resources {@code test://static-text}, {@code test://static-binary},
 * {@code test://watched-resource} (subscribable) and template
 * {@code test://template/{id}/data};</li>
 * <li>prompts {@code test_simple_prompt}, {@code test_prompt_with_arguments},
 * {@code test_prompt_with_embedded_resource}, {@code test_prompt_with_image}; completion
 * for {@code ref/prompt test_prompt_with_arguments} (and the template);</li>
 * <li>capabilities {@code tools.listChanged},
 * {@code resources.subscribe}+{@code listChanged}, {@code prompts.listChanged},
 * {@code logging}, {@code completions}.</li>
 * </ul>
 * The callback tools need a client that declared {@code sampling} and
 * {@code elicitation}; otherwise they return an explanatory text instead of failing.
 *
 * @see <a href="https://github.com/modelcontextprotocol/conformance">MCP conformance
 * suite</a>
 */
public final class ConformanceFixture {

	/** {@code serverInfo.name}, as in the suite's TypeScript reference fixture. */
	public static final String SERVER_NAME = "mcp-conformance-test-server";

	/**
	 * How long a tool waits for the client's sampling or elicitation answer. Generous,
	 * because in gateway tests the answer travels through the gateway twice.
	 */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private ConformanceFixture() {
	}

	/**
	 * The fixture's server definition, for
	 * {@link McpServerHost.Builder#server(SyncServerDefinition)}.
	 * @return the definition
	 */
	public static SyncServerDefinition definition() {
		return specification -> specification
			.capabilities(ServerCapabilities.builder()
				.tools(true)
				.resources(true, true)
				.prompts(true)
				.logging()
				.completions()
				.build())
			.requestTimeout(REQUEST_TIMEOUT)
			.tools(tools())
			.resources(FixtureResources.resources())
			.resourceTemplates(FixtureResources.templates())
			.prompts(FixturePrompts.prompts())
			.completions(FixturePrompts.completions())
			.build();
	}

	/**
	 * A host builder named {@value #SERVER_NAME} with this definition; set the port or
	 * transport, then {@code start()}.
	 * @return a new builder
	 */
	public static McpServerHost.Builder host() {
		return McpServerHost.builder().name(SERVER_NAME).server(definition());
	}

	private static List<SyncToolSpecification> tools() {
		List<SyncToolSpecification> tools = new ArrayList<>(ContentTools.all());
		tools.addAll(InteractiveTools.all());
		return tools;
	}

}
