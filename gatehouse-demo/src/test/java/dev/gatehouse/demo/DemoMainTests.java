package dev.gatehouse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.demo.DemoOptions.IdentityProviderOptions;
import dev.gatehouse.demo.DemoOptions.UsageException;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.HeadlessLogin;
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

		try (RunningDemo demo = DemoMain.start(new DemoOptions(0, 0, keyFile, null, null, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8))) {
			McpServerHost plain = demo.hosts().get(0);
			McpServerHost risk = demo.hosts().get(1);
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
			assertThat(demo.identityProvider()).isNull();
		}
	}

	@Test
	void startWhenConformanceOptionThenOnlyTheFixture() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();

		try (RunningDemo demo = DemoMain.start(new DemoOptions(null, null, null, 0, null, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8))) {
			assertThat(demo.hosts()).hasSize(1);
			assertThat(out.toString(StandardCharsets.UTF_8))
				.isEqualTo("mcp-conformance-test-server " + demo.hosts().get(0).url() + System.lineSeparator());
		}
	}

	@Test
	void startWhenKeyFileEmptyThenUsageErrorAndNothingStarted() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("empty.key"), " \n");

		assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, 0, keyFile, null, null, false), Clock.systemUTC(),
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
			assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, blocker.port(), keyFile, null, null, false),
					Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("127.0.0.1:" + blocker.port());
		}
	}

	@Test
	void startWhenIdentityProviderOptionsThenPrintsItsLineAndTheGatewayClientCanLogIn() throws Exception {
		Path keyFile = Files.writeString(this.directory.resolve("risk.key"), "key");
		Path secretFile = Files.writeString(this.directory.resolve("client.secret"), " web-secret\n");
		int port = freePort();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		IdentityProviderOptions idp = new IdentityProviderOptions(port, secretFile, "http://localhost:18080", null);

		try (RunningDemo demo = DemoMain.start(new DemoOptions(0, 0, keyFile, null, idp, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8))) {
			assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(3)
				.last()
				.isEqualTo("identity-provider http://localhost:" + port + " (users: alice/password risk-analyst,"
						+ " bob/password finance-analyst, carol/password admin, dave/password none)");
			HeadlessLogin.Tokens tokens = HeadlessLogin.builder("http://localhost:" + port)
				.clientId("gatehouse-web")
				.clientSecret("web-secret")
				.redirectUri("http://localhost:18080/login/oauth2/code/idp")
				.build()
				.login("carol", "password");
			JWTClaimsSet idToken = SignedJWT.parse(tokens.idToken()).getJWTClaimsSet();
			assertThat(idToken.getIssuer()).isEqualTo("http://localhost:" + port);
			assertThat(idToken.getStringListClaim("roles")).containsExactly("admin");
		}
	}

	@Test
	void startWhenUpstreamClientSecretThenTheRiskServerTakesOnlyTheIdentityProvidersTokensForIt() throws Exception {
		Path webSecret = Files.writeString(this.directory.resolve("client.secret"), "web-secret");
		Path upstreamSecret = Files.writeString(this.directory.resolve("upstream.secret"), " upstream-secret\n");
		int port = freePort();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		IdentityProviderOptions idp = new IdentityProviderOptions(port, webSecret, "http://localhost:18080",
				upstreamSecret);

		try (RunningDemo demo = DemoMain.start(new DemoOptions(0, 0, null, null, idp, false), Clock.systemUTC(),
				new PrintStream(out, true, StandardCharsets.UTF_8))) {
			McpServerHost risk = demo.hosts().get(1);
			assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(3)
				.element(1)
				.isEqualTo("risk-assessment-mcp " + risk.url() + " (OAuth: access tokens of http://localhost:" + port
						+ " for this URL, scopes risk:analyze data:read)");
			assertThat(RawHttp.post(risk.url(), RawHttp.INITIALIZE).statusCode()).isEqualTo(401);
			HeadlessLogin.Tokens tokens = HeadlessLogin.builder("http://localhost:" + port)
				.clientId("gatehouse-upstream")
				.clientSecret("upstream-secret")
				.redirectUri("http://localhost:18080/oauth/callback/risk-assessment-mcp")
				.scope("risk:analyze data:read")
				.resource(risk.url())
				.consent(true)
				.build()
				.login("alice", "password");
			assertThat(RawHttp.post(risk.url(), RawHttp.INITIALIZE, "Authorization", "Bearer " + tokens.accessToken())
				.statusCode()).isEqualTo(200);
			assertThat(risk.observedTokens()).last().satisfies((t) -> {
				assertThat(t.subject()).isEqualTo("alice");
				assertThat(t.clientId()).isEqualTo("gatehouse-upstream");
			});
		}
	}

	@Test
	void startWhenClientSecretFileEmptyThenUsageErrorAndNothingStarted() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("risk.key"), "key");
		Path secretFile = Files.writeString(this.directory.resolve("client.secret"), "\n");
		IdentityProviderOptions idp = new IdentityProviderOptions(1, secretFile, "http://localhost:18080", null);

		assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, 0, keyFile, null, idp, false), Clock.systemUTC(),
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
			.isInstanceOf(UsageException.class)
			.hasMessage("Client secret file " + secretFile + " is empty");
	}

	@Test
	void startWhenIdentityProviderPortTakenThenFailsNamingIt() throws IOException {
		Path keyFile = Files.writeString(this.directory.resolve("risk.key"), "key");
		Path secretFile = Files.writeString(this.directory.resolve("client.secret"), "s");
		try (ServerSocket blocker = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			IdentityProviderOptions idp = new IdentityProviderOptions(blocker.getLocalPort(), secretFile,
					"http://localhost:18080", null);

			assertThatThrownBy(() -> DemoMain.start(new DemoOptions(0, 0, keyFile, null, idp, false),
					Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("127.0.0.1:" + blocker.getLocalPort());
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
	}

}
