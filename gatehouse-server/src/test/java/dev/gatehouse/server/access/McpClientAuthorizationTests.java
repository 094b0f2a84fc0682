package dev.gatehouse.server.access;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.server.testing.IdentityFixture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.NodeTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MCP client that follows the MCP authorization specification — the official TypeScript SDK client from
 * npm, driven by {@code test-tools/mcp-oauth-client.mjs} — finds the identity provider from the gateway's 401 and
 * its RFC 9728 metadata, registers itself dynamically at the demo IdP, completes the login headlessly (the script
 * posts the IdP's login form), and lists the tools its user may use.
 */
class McpClientAuthorizationTests {

	static IdentityFixture fixture;

	@BeforeAll
	static void start() {
		fixture = IdentityFixture.start();
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void theTypeScriptSdkClientDiscoversRegistersLogsInAndListsTools() throws Exception {
		JsonNode bob = run("bob");
		assertThat(bob.get("registeredClientId").asString()).isNotEmpty();
		assertThat(bob.get("resource").asString()).isEqualTo(fixture.resource());
		assertThat(bob.get("tools").toString()).contains("risk-assessment-mcp___get_credit_rating")
			.doesNotContain("analyze_portfolio_risk");
		JsonNode alice = run("alice");
		assertThat(alice.get("tools").toString()).contains("risk-assessment-mcp___analyze_portfolio_risk");
	}

	private static JsonNode run(String user) throws Exception {
		Path script = NodeTools.toolsDir().resolve("mcp-oauth-client.mjs");
		Path output = Files.createTempFile("mcp-oauth-client", ".log");
		Process process = new ProcessBuilder(NodeTools.node().toString(), script.toString(), fixture.gateway().mcpUrl(),
				user, "password")
			.directory(NodeTools.toolsDir().toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
		String printed = Files.readString(output);
		assertThat(process.exitValue()).as(printed).isZero();
		String last = printed.strip().lines().reduce((a, b) -> b).orElse("");
		return McpTestClient.JSON.readTree(last);
	}
}
