package dev.gatehouse.demo.conformance;

import static dev.gatehouse.demo.conformance.FixtureTools.NO_ARGUMENTS;
import static dev.gatehouse.demo.conformance.FixtureTools.arguments;
import static dev.gatehouse.demo.conformance.FixtureTools.result;
import static dev.gatehouse.demo.conformance.FixtureTools.text;
import static dev.gatehouse.demo.conformance.FixtureTools.tool;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.AudioContent;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Fixture tools that answer with fixed content: scenarios {@code tools-call-simple-text},
 * {@code -image}, {@code -audio}, {@code -embedded-resource}, {@code -mixed-content},
 * {@code -error} and (pending) {@code json-schema-2020-12}.
 */
final class ContentTools {

	/**
	 * SEP-1613: listed verbatim; the scenario checks {@code $schema}, {@code $defs} and
	 * additionalProperties.
	 */
	static final Map<String, Object> JSON_SCHEMA_2020_12_INPUT_SCHEMA = FixtureJson.object("""
			{
			  "$schema": "https://json-schema.org/draft/2020-12/schema",
			  "type": "object",
			  "$defs": {
			    "address": {
			      "type": "object",
			      "properties": {
			        "street": {"type": "string"},
			        "city": {"type": "string"}
			      }
			    }
			  },
			  "properties": {
			    "name": {"type": "string"},
			    "address": {"$ref": "#/$defs/address"}
			  },
			  "additionalProperties": false
			}""");

	private ContentTools() {
	}

	static List<SyncToolSpecification> all() {
		return List.of(
				tool("test_simple_text", "Tests simple text content response", NO_ARGUMENTS,
						(exchange, request) -> text("This is a simple text response for testing.")),
				tool("test_image_content", "Tests image content response", NO_ARGUMENTS,
						(exchange, request) -> result(image())),
				tool("test_audio_content", "Tests audio content response", NO_ARGUMENTS,
						(exchange, request) -> result(
								AudioContent.builder(FixtureMedia.MINIMAL_WAV, "audio/wav").build())),
				tool("test_embedded_resource", "Tests embedded resource content response", NO_ARGUMENTS,
						(exchange,
								request) -> result(embedded("test://embedded-resource", "text/plain",
										"This is an embedded resource content."))),
				tool("test_multiple_content_types",
						"Tests response with multiple content types (text, image, resource)", NO_ARGUMENTS,
						(exchange, request) -> result(TextContent.builder("Multiple content types test:").build(),
								image(),
								embedded("test://mixed-content-resource", "application/json",
										"{\"test\":\"data\",\"value\":123}"))),
				tool("test_error_handling", "Tests error response handling", NO_ARGUMENTS,
						(exchange, request) -> error()),
				tool("json_schema_2020_12_tool",
						"Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)",
						JSON_SCHEMA_2020_12_INPUT_SCHEMA, (exchange, request) -> text(
								"JSON Schema 2020-12 tool called with: " + FixtureJson.write(arguments(request)))));
	}

	private static ImageContent image() {
		return ImageContent.builder(FixtureMedia.RED_PIXEL_PNG, "image/png").build();
	}

	private static EmbeddedResource embedded(String uri, String mimeType, String text) {
		return EmbeddedResource.builder(TextResourceContents.builder(uri, text).mimeType(mimeType).build()).build();
	}

	/**
	 * A tool error is a result with {@code isError: true}, not a JSON-RPC error: the
	 * scenario fails if {@code callTool} throws.
	 */
	private static CallToolResult error() {
		return CallToolResult.builder()
			.content(List.of(TextContent.builder("This tool intentionally returns an error for testing").build()))
			.isError(true)
			.build();
	}

}
