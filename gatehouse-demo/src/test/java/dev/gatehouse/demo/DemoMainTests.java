package dev.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.gatehouse.demo.DemoOptions.UsageException;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMainTests {

	@TempDir
	Path directory;

	@Test
	void startWhenDemoOptionsThenPrintsOneLinePerServerAndUsesTrimmedKey() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("risk.key"), "  k3y-from-file \n");
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		List<McpServerHost> hosts = DemoMain.start(new DemoOptions(0, 0, keyFile, null, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8));
		try {
			McpServerHost plain = hosts.get(0);
			McpServerHost risk = hosts.get(1);
			assertThat(out.toString(StandardCharsets.UTF_8))
				.isEqualTo("demo-tools " + plain.url() + System.lineSeparator() + "risk-assessment-mcp " + risk.url()
						+ " (X-API-Key required)" + System.lineSeparator());
			assertThat(
					RawHttp.post(risk.url(), RawHttp.INITIALIZE, RiskAssessmentServer.API_KEY_HEADER, "k3y-from-file")
						.statusCode())
				.isEqualTo(200);
			try (McpSyncClient client = TestClients.streamable(plain)) {
				client.initialize();
				assertThat(client.callTool(CallToolRequest.builder("echo").arguments(Map.of("text", "hi")).build())
					.isError()).isFalse();
			}
		}
		finally {
			hosts.forEach(McpServerHost::close);
		}
	}

	@Test
	void startWhenConformanceOptionThenOnlyTheFixture() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		List<McpServerHost> hosts = DemoMain.start(new DemoOptions(null, null, null, 0, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8));
		try {
			assertThat(hosts).hasSize(1);
			assertThat(out.toString(StandardCharsets.UTF_8))
				.isEqualTo("mcp-conformance-test-server " + hosts.get(0).url() + System.lineSeparator());
		}
		finally {
			hosts.forEach(McpServerHost::close);
		}
	}

	@Test
	void startWhenKeyFileEmptyThenUsageErrorAndNothingStarted() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("empty.key"), " \n");

		assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, 0, keyFile, null, false), Clock.systemUTC(),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
			.isInstanceOf(UsageException.class)
			.hasMessage("API key file " + keyFile + " is empty");
	}

	@Test
	void readApiKeyWhenFileMissingThenUsageErrorNamingIt() {
		Path missing = this.directory.resolve("missing.key");

		assertThatThrownBy(() -> DemoMain.readApiKey(missing)).isInstanceOf(UsageException.class)
			.hasMessage("Cannot read API key file " + missing + " (NoSuchFileException)");
	}

	@Test
	void startWhenSecondPortTakenThenClosesTheFirstAndFails() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("risk.key"), "key");
		try (McpServerHost blocker = McpServerHost.builder().server(spec -> spec.build()).start()) {
			assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, blocker.port(), keyFile, null, false),
					Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("127.0.0.1:" + blocker.port());
		}
	}

}
