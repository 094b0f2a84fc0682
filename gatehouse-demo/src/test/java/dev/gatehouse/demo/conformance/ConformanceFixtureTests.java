package dev.gatehouse.demo.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.gatehouse.demo.TestClients;
import dev.gatehouse.demo.host.McpServerHost;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CompleteRequest;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.SubscribeRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.UnsubscribeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link ConformanceFixture} with the SDK client the way the conformance scenarios
 * do.
 */
class ConformanceFixtureTests {

	private static McpServerHost host;

	@BeforeAll
	static void startFixture() {
		host = ConformanceFixture.host().start();
	}

	@AfterAll
	static void stopFixture() {
		host.close();
	}

	@Test
	void initializeWhenConnectedThenDeclaresScenarioCapabilities() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			ServerCapabilities capabilities = client.getServerCapabilities();
			assertThat(client.getServerInfo().name()).isEqualTo("mcp-conformance-test-server");
			assertThat(capabilities.tools().listChanged()).isTrue();
			assertThat(capabilities.resources().subscribe()).isTrue();
			assertThat(capabilities.prompts()).isNotNull();
			assertThat(capabilities.logging()).isNotNull();
			assertThat(capabilities.completions()).isNotNull();
		}
	}

	@Test
	void listToolsWhenConnectedThenEveryToolHasNameDescriptionAndSchema() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			List<Tool> tools = client.listTools().tools();

			assertThat(tools).extracting(Tool::name)
				.containsExactlyInAnyOrder("test_simple_text", "test_image_content", "test_audio_content",
						"test_embedded_resource", "test_multiple_content_types", "test_error_handling",
						"json_schema_2020_12_tool", "test_tool_with_logging", "test_tool_with_progress",
						"test_sampling", "test_elicitation", "test_elicitation_sep1034_defaults",
						"test_elicitation_sep1330_enums");
			assertThat(tools).allSatisfy(tool -> {
				assertThat(tool.description()).isNotBlank();
				assertThat(tool.inputSchema()).isNotNull();
			});
		}
	}

	@Test
	void listToolsWhenJsonSchema202012ToolThenKeywordsSurvive() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			Tool tool = client.listTools()
				.tools()
				.stream()
				.filter(candidate -> candidate.name().equals("json_schema_2020_12_tool"))
				.findFirst()
				.orElseThrow();

			assertThat(tool.inputSchema()).containsEntry("$schema", "https://json-schema.org/draft/2020-12/schema")
				.containsEntry("additionalProperties", false);
			assertThat(property(tool.inputSchema(), "$defs")).containsKey("address");
		}
	}

	@Test
	void callToolWhenSimpleTextThenReturnsExpectedText() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("test_simple_text").build());

			assertThat(result.isError()).isFalse();
			assertThat(result.content()).singleElement()
				.isInstanceOfSatisfying(TextContent.class,
						text -> assertThat(text.text()).isEqualTo("This is a simple text response for testing."));
		}
	}

	@Test
	void callToolWhenErrorHandlingThenReturnsIsErrorResult() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("test_error_handling").build());

			assertThat(result.isError()).isTrue();
			assertThat(((TextContent) result.content().get(0)).text())
				.isEqualTo("This tool intentionally returns an error for testing");
		}
	}

	@Test
	void callToolWhenMixedContentThenReturnsTextImageAndResource() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("test_multiple_content_types").build());

			assertThat(result.content()).extracting(content -> content.type())
				.containsExactly("text", "image", "resource");
		}
	}

	@Test
	void callToolWhenProgressTokenThenSendsThreeNonDecreasingNotifications() {
		List<ProgressNotification> progress = new CopyOnWriteArrayList<>();
		try (McpSyncClient client = TestClients.streamable(host, transport -> transport,
				spec -> spec.progressConsumer(progress::add))) {
			client.initialize();

			CallToolResult result = client
				.callTool(CallToolRequest.builder("test_tool_with_progress").progressToken("token-1").build());

			assertThat(((TextContent) result.content().get(0)).text())
				.isEqualTo("Tool execution completed with progress");
			// The SDK client delivers notifications to consumers asynchronously: wait for the last one.
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(progress).extracting(ProgressNotification::progress)
					.containsExactly(0.0, 50.0, 100.0));
			assertThat(progress).extracting(ProgressNotification::progressToken).containsOnly("token-1");
		}
	}

	@Test
	void callToolWhenLoggingThenSendsThreeInfoMessages() {
		List<LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();
		try (McpSyncClient client = TestClients.streamable(host, transport -> transport,
				spec -> spec.loggingConsumer(logs::add))) {
			client.initialize();

			client.callTool(CallToolRequest.builder("test_tool_with_logging").build());

			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(logs).extracting(LoggingMessageNotification::data)
					.containsExactly("Tool execution started", "Tool processing data", "Tool execution completed"));
		}
	}

	@Test
	void callToolWhenSamplingThenAsksClientAndQuotesAnswer() {
		try (McpSyncClient client = TestClients.streamable(host, transport -> transport,
				spec -> spec.capabilities(ClientCapabilities.builder().sampling().build())
					.sampling(request -> new CreateMessageResult(Role.ASSISTANT,
							new TextContent("This is a test response from the client"), "test-model",
							CreateMessageResult.StopReason.END_TURN)))) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("test_sampling")
				.arguments(Map.of("prompt", "Test prompt for sampling"))
				.build());

			assertThat(((TextContent) result.content().get(0)).text())
				.isEqualTo("LLM response: This is a test response from the client");
		}
	}

	@Test
	void callToolWhenClientCannotSampleThenExplainsInsteadOfFailing() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CallToolResult result = client
				.callTool(CallToolRequest.builder("test_sampling").arguments(Map.of("prompt", "hi")).build());

			assertThat(((TextContent) result.content().get(0)).text()).startsWith("Sampling not supported or error: ");
		}
	}

	@Test
	void callToolWhenElicitationThenReportsActionAndContent() {
		try (McpSyncClient client = elicitingClient(new AtomicReference<>(),
				Map.of("username", "testuser", "email", "test@example.com"))) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("test_elicitation")
				.arguments(Map.of("message", "Please provide your information"))
				.build());

			assertThat(((TextContent) result.content().get(0)).text()).startsWith("User response: action=accept")
				.contains("\"username\":\"testuser\"");
		}
	}

	@Test
	void callToolWhenSep1034DefaultsThenDefaultsKeepTheirJsonTypes() {
		AtomicReference<ElicitFormRequest> received = new AtomicReference<>();
		try (McpSyncClient client = elicitingClient(received, Map.of("name", "Jane Smith"))) {
			client.initialize();

			client.callTool(CallToolRequest.builder("test_elicitation_sep1034_defaults").arguments(Map.of()).build());

			Map<String, Object> properties = properties(received.get());
			assertThat(property(properties, "name")).containsEntry("default", "John Doe");
			assertThat(property(properties, "age")).containsEntry("type", "integer").containsEntry("default", 30);
			assertThat(property(properties, "score")).containsEntry("default", 95.5);
			assertThat(property(properties, "status")).containsEntry("default", "active")
				.containsEntry("enum", List.of("active", "inactive", "pending"));
			assertThat(property(properties, "verified")).containsEntry("default", true);
		}
	}

	@Test
	void callToolWhenSep1330EnumsThenAllFiveVariantsArrive() {
		AtomicReference<ElicitFormRequest> received = new AtomicReference<>();
		try (McpSyncClient client = elicitingClient(received, Map.of("untitledSingle", "option1"))) {
			client.initialize();

			client.callTool(CallToolRequest.builder("test_elicitation_sep1330_enums").arguments(Map.of()).build());

			Map<String, Object> properties = properties(received.get());
			assertThat(property(properties, "untitledSingle")).containsKey("enum").doesNotContainKey("oneOf");
			assertThat(property(properties, "titledSingle")).containsKey("oneOf").doesNotContainKey("enum");
			assertThat(property(properties, "legacyEnum")).containsKeys("enum", "enumNames");
			assertThat(property(property(properties, "untitledMulti"), "items")).containsKey("enum");
			assertThat(property(property(properties, "titledMulti"), "items")).containsKey("anyOf");
		}
	}

	@Test
	void readResourceWhenTemplateUriThenSubstitutesId() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			ReadResourceResult result = client.readResource(new ReadResourceRequest("test://template/123/data"));

			assertThat(result.contents()).singleElement()
				.isInstanceOfSatisfying(TextResourceContents.class, contents -> {
					assertThat(contents.uri()).isEqualTo("test://template/123/data");
					assertThat(contents.text())
						.isEqualTo("{\"id\":\"123\",\"templateTest\":true,\"data\":\"Data for ID: 123\"}");
				});
		}
	}

	@Test
	void subscribeWhenWatchedResourceThenSubscribeAndUnsubscribeSucceed() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			client.subscribeResource(new SubscribeRequest("test://watched-resource"));
			client.unsubscribeResource(new UnsubscribeRequest("test://watched-resource"));

			assertThat(client.listResources().resources()).extracting(resource -> resource.uri())
				.containsExactlyInAnyOrder("test://static-text", "test://static-binary", "test://watched-resource");
		}
	}

	@Test
	void getPromptWhenArgumentsThenSubstitutesThem() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			GetPromptResult result = client.getPrompt(new GetPromptRequest("test_prompt_with_arguments",
					Map.of("arg1", "testValue1", "arg2", "testValue2")));

			assertThat(((TextContent) result.messages().get(0).content()).text())
				.isEqualTo("Prompt with arguments: arg1='testValue1', arg2='testValue2'");
		}
	}

	@Test
	void completeWhenPromptArgumentThenReturnsValuesArray() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CompleteResult result = client
				.completeCompletion(new CompleteRequest(new PromptReference("test_prompt_with_arguments"),
						new CompleteRequest.CompleteArgument("arg1", "test")));

			assertThat(result.completion().values()).isEmpty();
		}
	}

	private static McpSyncClient elicitingClient(AtomicReference<ElicitFormRequest> received,
			Map<String, Object> answer) {
		return TestClients.streamable(host, transport -> transport,
				spec -> spec.capabilities(ClientCapabilities.builder().elicitation().build()).elicitation(request -> {
					received.set(request);
					return new ElicitResult(ElicitResult.Action.ACCEPT, answer);
				}));
	}

	private static Map<String, Object> properties(ElicitFormRequest request) {
		assertThat(request).as("elicitation request").isNotNull();
		return property(request.requestedSchema(), "properties");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> property(Map<String, Object> map, String key) {
		assertThat(map).containsKey(key);
		return (Map<String, Object>) map.get(key);
	}

}
