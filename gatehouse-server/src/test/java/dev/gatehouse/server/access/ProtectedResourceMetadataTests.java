package dev.gatehouse.server.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code scopes_supported} of the RFC 9728 metadata: what MCP clients (the MCP Inspector's web UI among them)
 * request when they log their user in at the gateway's identity provider.
 */
class ProtectedResourceMetadataTests {

	@Test
	void metadataWhenNoScopeConfiguredThenAdvertisesTheScopesOfTheGatewaysLoginAtTheTrustedIssuer() throws Exception {
		try (IdentityFixture fixture = IdentityFixture
			.start((gateway) -> gateway.property("gatehouse.access.required-scopes", ""))) {
			JsonNode metadata = metadata(fixture);

			assertThat(strings(metadata.get("scopes_supported"))).containsExactly("openid", "profile", "email",
					"roles");
		}
	}

	@Test
	void metadataWhenScopesSupportedConfiguredThenAdvertisesExactlyThose() throws Exception {
		try (IdentityFixture fixture = IdentityFixture
			.start((gateway) -> gateway.property("gatehouse.access.scopes-supported", "mcp:tools,offline_access"))) {
			JsonNode metadata = metadata(fixture);

			assertThat(strings(metadata.get("scopes_supported"))).containsExactly("mcp:tools", "offline_access");
		}
	}

	private static JsonNode metadata(IdentityFixture fixture) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(fixture.gateway().baseUrl()
					+ "/.well-known/oauth-protected-resource/mcp")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return McpTestClient.JSON.readTree(response.body());
	}

	private static List<String> strings(JsonNode array) {
		assertThat(array).as("scopes_supported").isNotNull();
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

}
