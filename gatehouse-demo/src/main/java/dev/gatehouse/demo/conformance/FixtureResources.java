package dev.gatehouse.demo.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.BlobResourceContents;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.ResourceTemplate;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Fixture resources: {@code test://static-text}, {@code test://static-binary},
 * {@code test://watched-resource} (subscribable; the SDK answers
 * {@code resources/subscribe} and {@code resources/unsubscribe} itself) and the template
 * {@code test://template/{id}/data}, which the suite reads without listing templates
 * first.
 */
final class FixtureResources {

	static final String TEMPLATE = "test://template/{id}/data";

	private static final Pattern TEMPLATE_URI = Pattern.compile("test://template/([^/]+)/data");

	private FixtureResources() {
	}

	static List<SyncResourceSpecification> resources() {
		return List.of(
				text("test://static-text", "static-text", "Static Text Resource", "A static text resource for testing",
						"This is the content of the static text resource."),
				new SyncResourceSpecification(
						Resource.builder("test://static-binary", "static-binary")
							.title("Static Binary Resource")
							.description("A static binary resource (image) for testing")
							.mimeType("image/png")
							.build(),
						(exchange, request) -> ReadResourceResult
							.builder(List.of(BlobResourceContents.builder(request.uri(), FixtureMedia.RED_PIXEL_PNG)
								.mimeType("image/png")
								.build()))
							.build()),
				text("test://watched-resource", "watched-resource", "Watched Resource",
						"A resource that can be subscribed to", "Watched resource content"));
	}

	static List<SyncResourceTemplateSpecification> templates() {
		return List.of(new SyncResourceTemplateSpecification(ResourceTemplate.builder(TEMPLATE, "template")
			.title("Resource Template")
			.description("A resource template with parameter substitution")
			.mimeType("application/json")
			.build(), (exchange, request) -> readTemplate(request)));
	}

	private static SyncResourceSpecification text(String uri, String name, String title, String description,
			String content) {
		return new SyncResourceSpecification(
				Resource.builder(uri, name).title(title).description(description).mimeType("text/plain").build(),
				(exchange, request) -> ReadResourceResult
					.builder(List
						.of(TextResourceContents.builder(request.uri(), content).mimeType("text/plain").build()))
					.build());
	}

	/**
	 * {@code test://template/123/data} reads as
	 * {@code {"id":"123","templateTest":true,"data":"Data for ID: 123"}}.
	 */
	private static ReadResourceResult readTemplate(ReadResourceRequest request) {
		Matcher matcher = TEMPLATE_URI.matcher(request.uri());
		if (!matcher.matches()) {
			throw McpError.RESOURCE_NOT_FOUND.apply(request.uri());
		}
		String id = matcher.group(1);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", id);
		body.put("templateTest", true);
		body.put("data", "Data for ID: " + id);
		return ReadResourceResult.builder(List.of(TextResourceContents.builder(request.uri(), FixtureJson.write(body))
			.mimeType("application/json")
			.build())).build();
	}

}
