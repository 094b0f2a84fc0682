package dev.gatehouse.demo.risk;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gatehouse.demo.RawHttp;
import dev.gatehouse.demo.TestClients;
import dev.gatehouse.demo.host.BearerCaller;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.host.ObservedToken;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RiskAssessmentServer#oauthHost(String)} with a real {@link DemoIdentityProvider}
 * as its authorization server: the metadata a gateway discovers, tools that need their
 * scopes, the caller echoed in {@code _meta}, user and client credentials tokens.
 */
class RiskAssessmentServerOAuthTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CALLBACK = "http://127.0.0.1:18080/oauth/callback/risk-assessment-mcp";

	private static DemoIdentityProvider idp;

	private static McpServerHost host;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder()
			.client(DemoClient.builder("gatehouse")
				.secret("gatehouse-secret")
				.redirectUris(CALLBACK)
				.scopes("risk:analyze", "data:read")
				.build())
			.client(DemoClient.builder("batch-job")
				.secret("batch-secret")
				.grantTypes("client_credentials")
				.scopes("data:read")
				.build())
			.start();
		host = RiskAssessmentServer.oauthHost(idp.issuer()).start();
	}

	@AfterAll
	static void stop() {
		host.close();
		idp.close();
	}

	@Test
	void metadataWhenDiscoveredFromThe401ThenNamesTheProviderAndBothScopes() {
		HttpResponse<String> challenge = RawHttp.post(host.url(), RawHttp.INITIALIZE);
		String header = challenge.headers().firstValue("WWW-Authenticate").orElseThrow();
		String metadataUrl = header.substring(header.indexOf("resource_metadata=\"") + 19, header.indexOf("\", scope"));

		JsonNode metadata = JSON.readTree(RawHttp.get(metadataUrl).body());

		assertThat(challenge.statusCode()).isEqualTo(401);
		assertThat(header).endsWith("scope=\"risk:analyze data:read\"");
		assertThat(metadata.get("resource").stringValue()).isEqualTo(host.url());
		assertThat(metadata.get("authorization_servers").get(0).stringValue()).isEqualTo(idp.issuer());
		assertThat(metadata.get("scopes_supported").toString()).isEqualTo("[\"risk:analyze\",\"data:read\"]");
	}

	@Test
	void analyzeWhenUserTokenWithBothScopesThenFiguresAndTheCallerIsEchoed() {
		String token = userToken("risk:analyze data:read");

		try (McpSyncClient client = client(token)) {
			client.initialize();
			CallToolResult result = client.callTool(CallToolRequest.builder("analyze_portfolio_risk")
				.arguments(Map.of("holdings",
						List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "MSFT", "weight", 0.5))))
				.build());

			assertThat(result.isError()).isFalse();
			assertThat(result.structuredContent()).asInstanceOf(InstanceOfAssertFactories.MAP)
				.containsEntry("annualVolatility", 0.2178);
			assertThat(result.meta()).containsEntry(BearerCaller.META_KEY,
					Map.of("sub", "alice", "client_id", "gatehouse", "scope", "data:read risk:analyze"));
		}
	}

	@Test
	void getCreditRatingWhenTokenOnlyHasRiskAnalyzeThen403NamingDataRead() {
		String token = userToken("risk:analyze");
		String session = initialize(token);

		HttpResponse<String> response = RawHttp.post(host.url(),
				"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get_credit_rating\","
						+ "\"arguments\":{\"company\":\"Initech\"}}}",
				"Authorization", "Bearer " + token, "Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
				"Bearer error=\"insufficient_scope\", scope=\"data:read\", resource_metadata=\""
						+ host.resourceMetadataUrl() + "\"");
		List<ObservedToken> observed = host.observedTokens();
		assertThat(observed.get(observed.size() - 1).rejection()).isEqualTo("insufficient_scope");
	}

	@Test
	void analyzeWhenTokenOnlyHasRiskAnalyzeThenAllowed() {
		try (McpSyncClient client = client(userToken("risk:analyze"))) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("analyze_portfolio_risk")
				.arguments(Map.of("holdings", List.of(Map.of("symbol", "CASH", "weight", 1))))
				.build());

			assertThat(result.isError()).isFalse();
		}
	}

	@Test
	void getCreditRatingWhenClientCredentialsTokenThenTheClientIsTheEchoedCaller() {
		HttpResponse<String> tokenResponse = RawHttp.postForm(idp.issuer() + "/oauth2/token",
				"grant_type=client_credentials&scope=data:read&resource=" + host.url(), "Authorization",
				basic("batch-job", "batch-secret"));
		String token = JSON.readTree(tokenResponse.body()).get("access_token").stringValue();

		try (McpSyncClient client = client(token)) {
			client.initialize();
			CallToolResult result = client.callTool(
					CallToolRequest.builder("get_credit_rating").arguments(Map.of("company", "Initech")).build());

			assertThat(result.isError()).isFalse();
			assertThat(result.meta()).containsEntry(BearerCaller.META_KEY,
					Map.of("sub", "batch-job", "client_id", "batch-job", "scope", "data:read"));
		}
	}

	private static String userToken(String scope) {
		return HeadlessLogin.builder(idp.issuer())
			.clientId("gatehouse")
			.clientSecret("gatehouse-secret")
			.redirectUri(CALLBACK)
			.scope(scope)
			.resource(host.url())
			.build()
			.login("alice", "password")
			.accessToken();
	}

	private static String initialize(String token) {
		HttpResponse<String> initialized = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization",
				"Bearer " + token);
		assertThat(initialized.statusCode()).isEqualTo(200);
		return initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	private static McpSyncClient client(String token) {
		return TestClients.streamable(host, (transport) -> transport.httpRequestCustomizer(
				(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token)),
				(spec) -> spec);
	}

	private static String basic(String clientId, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

}
