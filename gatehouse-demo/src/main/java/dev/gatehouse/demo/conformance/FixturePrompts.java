package dev.gatehouse.demo.conformance;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult;
import io.modelcontextprotocol.spec.McpSchema.CompleteResult.CompleteCompletion;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.PromptReference;
import io.modelcontextprotocol.spec.McpSchema.ResourceReference;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Fixture prompts ({@code prompts-*} scenarios) and completions
 * ({@code completion-complete}).
 */
final class FixturePrompts {

	static final String PROMPT_WITH_ARGUMENTS = "test_prompt_with_arguments";

	private FixturePrompts() {
	}

	static List<SyncPromptSpecification> prompts() {
		return List
			.of(new SyncPromptSpecification(Prompt.builder("test_simple_prompt")
				.title("Simple Test Prompt")
				.description("A simple prompt without arguments")
				.arguments(List.of())
				.build(), (exchange, request) -> messages(text("This is a simple prompt for testing."))),
					new SyncPromptSpecification(
							Prompt.builder(PROMPT_WITH_ARGUMENTS)
								.title("Prompt With Arguments")
								.description("A prompt with required arguments")
								.arguments(List.of(argument("arg1", "First test argument"),
										argument("arg2", "Second test argument")))
								.build(),
							(exchange,
									request) -> messages(text("Prompt with arguments: arg1='"
											+ argumentValue(request, "arg1") + "', arg2='" + argumentValue(request,
													"arg2")
											+ "'"))),
					new SyncPromptSpecification(Prompt.builder("test_prompt_with_embedded_resource")
						.title("Prompt With Embedded Resource")
						.description("A prompt that includes an embedded resource")
						.arguments(List.of(argument("resourceUri", "URI of the resource to embed")))
						.build(),
							(exchange,
									request) -> messages(
											EmbeddedResource.builder(TextResourceContents
												.builder(argumentValue(request, "resourceUri"),
														"Embedded resource content for testing.")
												.mimeType("text/plain")
												.build()).build(),
											text("Please process the embedded resource above."))),
					new SyncPromptSpecification(
							Prompt.builder("test_prompt_with_image")
								.title("Prompt With Image")
								.description("A prompt that includes image content")
								.arguments(List.of())
								.build(),
							(exchange, request) -> messages(
									ImageContent.builder(FixtureMedia.RED_PIXEL_PNG, "image/png").build(),
									text("Please analyze the image above."))));
	}

	/**
	 * Empty completions, as the reference fixture: the scenario only checks that
	 * {@code completion.values} is an array.
	 */
	static List<SyncCompletionSpecification> completions() {
		return List.of(
				new SyncCompletionSpecification(new PromptReference(PROMPT_WITH_ARGUMENTS),
						(exchange, request) -> emptyCompletion()),
				new SyncCompletionSpecification(new ResourceReference(FixtureResources.TEMPLATE),
						(exchange, request) -> emptyCompletion()));
	}

	private static CompleteResult emptyCompletion() {
		return new CompleteResult(new CompleteCompletion(List.of(), 0, false));
	}

	private static PromptArgument argument(String name, String description) {
		return PromptArgument.builder(name).description(description).required(true).build();
	}

	private static String argumentValue(GetPromptRequest request, String name) {
		Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
		Object value = arguments.get(name);
		return (value != null) ? value.toString() : "";
	}

	private static TextContent text(String text) {
		return TextContent.builder(text).build();
	}

	private static GetPromptResult messages(Content... contents) {
		return GetPromptResult.builder(
				List.of(contents).stream().map(content -> PromptMessage.builder(Role.USER, content).build()).toList())
			.build();
	}

}
