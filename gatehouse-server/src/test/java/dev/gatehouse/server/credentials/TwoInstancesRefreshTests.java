package dev.gatehouse.server.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.risk.RiskAssessmentServer;
import dev.gatehouse.server.testing.GatewayProcess;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.NodeTools;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.ScriptedBrowser;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway processes sharing one PostgreSQL database and one user's grant: 200 concurrent calls spread over
 * both, on a token inside the refresh window, cause exactly one refresh at the authorization server, and its
 * refresh-token rotation with reuse detection is never tripped. Real time here (separate JVMs share no clock):
 * upstream tokens live 60 s and are refreshed within 50 s of expiry.
 */
class TwoInstancesRefreshTests {

	@TempDir
	static Path dir;

	static DemoIdentityProvider idp;

	static McpServerHost risk;

	static GatewayProcess a;

	static GatewayProcess b;

	@BeforeAll
	static void start() throws Exception {
		int portA = NodeTools.freePort();
		int portB = NodeTools.freePort();
		idp = DemoIdentityProvider.builder()
			.client(DemoClient.builder(OAuthFixture.CLIENT_ID)
				.secret(OAuthFixture.CLIENT_SECRET)
				.redirectUris("http://127.0.0.1:" + portA + "/oauth/callback/risk-assessment-mcp")
				.scopes(RiskAssessmentServer.ANALYZE_SCOPE, RiskAssessmentServer.DATA_READ_SCOPE)
				.accessTokenTtl(Duration.ofSeconds(60))
				.build())
			.start();
		risk = RiskAssessmentServer.oauthHost(idp.issuer()).start();
		Files.writeString(dir.resolve("client.secret"), OAuthFixture.CLIENT_SECRET);
		Path targets = dir.resolve("targets.json");
		Files.writeString(targets, "[{\"name\":\"risk-assessment-mcp\",\"endpoint\":\"" + risk.url() + "\",\"auth\":"
				+ "{\"type\":\"oauth2\",\"authorizationUrl\":\"" + idp.issuer() + "/oauth2/authorize\",\"tokenUrl\":\""
				+ idp.issuer() + "/oauth2/token\",\"scopes\":[\"risk:analyze\",\"data:read\"],\"clientId\":\""
				+ OAuthFixture.CLIENT_ID + "\",\"clientSecret\":\"file:" + dir.resolve("client.secret") + "\"}}]");
		Path key = TestGateway.writeMasterKey(dir.resolve("shared"));
		String jdbc = Postgres.newDatabase();
		Map<String, String> common = Map.of("spring.datasource.url", jdbc, "gatehouse.targets-file", targets.toString(),
				"gatehouse.oauth.refresh-skew", "50s", "gatehouse.oauth.sweep-interval", "1h");
		Map<String, String> forA = new java.util.HashMap<>(common);
		forA.put("gatehouse.public-url", "http://127.0.0.1:" + portA);
		Map<String, String> forB = new java.util.HashMap<>(common);
		forB.put("gatehouse.public-url", "http://127.0.0.1:" + portB);
		a = GatewayProcess.start(dir.resolve("a"), key, forA, portA);
		b = GatewayProcess.start(dir.resolve("b"), key, forB, portB);
	}

	@AfterAll
	static void stop() {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
		risk.close();
		idp.close();
	}

	@Test
	void twoHundredCallsOverTwoInstancesOnAnExpiringGrantCauseExactlyOneRefresh() throws Exception {
		McpTestClient onA = new McpTestClient(a.mcpUrl());
		onA.initialize("2025-11-25", "{}");
		String link = OAuthFixture.link(onA.result("tools/call", OAuthFixture.CONNECT));
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page consent = browser.open(link);
		ScriptedBrowser.Page login = browser.submit(consent, "form[action*=/connect/]", Map.of("decision", "connect"));
		ScriptedBrowser.Page result = browser.login(login, "alice", "password");
		assertThat(result.body()).as(result.hops().toString()).contains("data-outcome=\"connected\"");
		McpTestClient onB = new McpTestClient(b.mcpUrl());
		onB.initialize("2025-11-25", "{}");
		await().atMost(Duration.ofSeconds(30)).until(() -> onB.result("tools/list", "{}").toString().contains("get_credit_rating")
				&& onA.result("tools/list", "{}").toString().contains("get_credit_rating"));
		assertThat(onB.result("tools/call", OAuthFixture.RATING).toString()).contains("\"sub\":\"alice\"");

		// Wait until the 60-second token is within the 50-second refresh window on both instances.
		Thread.sleep(11_000);
		long refreshes = idp.tokenRequestCount("refresh_token");
		ExecutorService pool = Executors.newFixedThreadPool(40);
		try {
			List<Future<JsonNode>> calls = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				McpTestClient client = (i % 2 == 0) ? onA : onB;
				calls.add(pool.submit(() -> client.result("tools/call", OAuthFixture.RATING)));
			}
			for (Future<JsonNode> call : calls) {
				JsonNode answer = call.get();
				assertThat(answer.has("isError") && answer.get("isError").asBoolean()).as(answer.toString()).isFalse();
				assertThat(answer.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(idp.tokenRequestCount("refresh_token")).as("exactly one refresh across both instances")
			.isEqualTo(refreshes + 1);
		assertThat(idp.refreshTokenReuses()).isZero();
		assertThat(idp.activeAuthorizations(OAuthFixture.CLIENT_ID, "alice")).isPositive();
	}
}
