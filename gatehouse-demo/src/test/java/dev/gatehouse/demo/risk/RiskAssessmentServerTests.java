package dev.gatehouse.demo.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import dev.gatehouse.demo.RawHttp;
import dev.gatehouse.demo.TestClients;
import dev.gatehouse.demo.host.McpServerHost;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RiskAssessmentServerTests {

	private static final String API_KEY = "risk-key-0123456789";

	private static McpServerHost host;

	private static McpSyncClient client;

	@BeforeAll
	static void start() {
		host = RiskAssessmentServer.host(API_KEY).start();
		client = TestClients.streamable(host, transport -> transport.httpRequestCustomizer(
				(request, method, uri, body, context) -> request.header(RiskAssessmentServer.API_KEY_HEADER, API_KEY)),
				spec -> spec);
		client.initialize();
	}

	@AfterAll
	static void stop() {
		client.close();
		host.close();
	}

	@Test
	void initializeWhenApiKeyMissingThenHttp401AndClientFails() {
		assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE).statusCode()).isEqualTo(401);
		try (McpSyncClient anonymous = TestClients.streamable(host)) {
			assertThatThrownBy(anonymous::initialize)
				.hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
		}
	}

	@Test
	void listToolsWhenAuthorizedThenOffersBothToolsWithOutputSchemas() {
		List<Tool> tools = client.listTools().tools();

		assertThat(client.getServerInfo().name()).isEqualTo("risk-assessment-mcp");
		assertThat(tools).extracting(Tool::name)
			.containsExactlyInAnyOrder("analyze_portfolio_risk", "get_credit_rating");
		assertThat(tools).allSatisfy(tool -> assertThat(tool.outputSchema()).isNotEmpty());
	}

	@Test
	void analyzeWhenTwoEqualWeightsThenDocumentedFigures() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "msft", "weight", 0.5))));

		Map<String, Object> figures = structured(result);
		// σ_p² = .25·.28² + .25·.26² + 2·.25·.3·.28·.26 = .04742 → σ_p = .217761; σ_day =
		// σ_p/√252
		assertThat(figures).containsEntry("holdings", 2)
			.containsEntry("annualVolatility", 0.2178)
			.containsEntry("dailyVolatility", 0.0137)
			.containsEntry("valueAtRisk95OneDay", 0.0226)
			.containsEntry("expectedShortfall95OneDay", 0.0283)
			.containsEntry("valueAtRisk95OneDayAmount", 22563.57)
			.containsEntry("diversificationRatio", 1.2399)
			.containsEntry("largestPosition", Map.of("symbol", "AAPL", "weight", 0.5))
			.containsEntry("riskLevel", "HIGH");
		assertThat(((TextContent) result.content().get(0)).text())
			.startsWith("{\"holdings\":2,\"annualVolatility\":0.2178");
	}

	@Test
	void analyzeWhenPortfolioValueGivenThenScalesAmountOnly() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.6), Map.of("symbol", "TLT", "weight", 0.4)),
				"portfolioValue", 250_000));

		assertThat(structured(result)).containsEntry("annualVolatility", 0.1946)
			.containsEntry("valueAtRisk95OneDay", 0.0202)
			.containsEntry("valueAtRisk95OneDayAmount", 5041.11)
			.containsEntry("riskLevel", "MODERATE");
	}

	@Test
	void analyzeWhenOnlyCashThenZeroRiskAndRatioOne() {
		CallToolResult result = analyze(Map.of("holdings", List.of(Map.of("symbol", "CASH", "weight", 1))));

		assertThat(structured(result)).containsEntry("annualVolatility", 0.0)
			.containsEntry("diversificationRatio", 1.0)
			.containsEntry("riskLevel", "LOW");
	}

	@Test
	void analyzeWhenWeightsDoNotSumToOneThenIsErrorNamingTheSum() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "MSFT", "weight", 0.4))));

		assertThat(result.isError()).isTrue();
		assertThat(errorText(result)).isEqualTo("Weights sum to 0.9000 but must sum to 1 (within ±0.01).");
	}

	@Test
	void analyzeWhenWeightsWithinToleranceThenAccepted() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "MSFT", "weight", 0.495))));

		assertThat(result.isError()).isFalse();
	}

	@Test
	void analyzeWhenSymbolUnknownThenIsErrorNamingIt() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "ZZZZ", "weight", 0.5))));

		assertThat(result.isError()).isTrue();
		assertThat(errorText(result)).startsWith("Unknown symbol(s): ZZZZ. Known symbols: AAPL, AMZN");
	}

	@Test
	void analyzeWhenSymbolRepeatedThenIsError() {
		CallToolResult result = analyze(Map.of("holdings",
				List.of(Map.of("symbol", "AAPL", "weight", 0.5), Map.of("symbol", "aapl", "weight", 0.5))));

		assertThat(result.isError()).isTrue();
		assertThat(errorText(result)).startsWith("Symbol AAPL appears more than once");
	}

	@Test
	void analyzeWhenHoldingsEmptyThenIsError() {
		CallToolResult result = analyze(Map.of("holdings", List.of()));

		assertThat(result.isError()).isTrue();
	}

	@Test
	void analyzeWhenHandlerSeesMalformedHoldingThenIsErrorNamingIndex() {
		CallToolResult result = PortfolioRiskTool.analyze(CallToolRequest.builder("analyze_portfolio_risk")
			.arguments(Map.of("holdings", List.of(Map.of("symbol", "AAPL", "weight", 1), Map.of("weight", 0))))
			.build());

		assertThat(result.isError()).isTrue();
		assertThat(errorText(result)).isEqualTo("holdings[1].symbol must be a non-empty string.");
	}

	@Test
	void getCreditRatingWhenKnownCompanyThenRatingOutlookAndGrade() {
		CallToolResult result = client.callTool(CallToolRequest.builder("get_credit_rating")
			.arguments(Map.of("company", "  globex   CORPORATION "))
			.build());

		assertThat(structured(result)).containsEntry("company", "Globex Corporation")
			.containsEntry("rating", "BBB+")
			.containsEntry("outlook", "POSITIVE")
			.containsEntry("investmentGrade", true);
	}

	@Test
	void getCreditRatingWhenSpeculativeGradeThenNotInvestmentGrade() {
		CallToolResult result = client
			.callTool(CallToolRequest.builder("get_credit_rating").arguments(Map.of("company", "Initech")).build());

		assertThat(structured(result)).containsEntry("rating", "BB-").containsEntry("investmentGrade", false);
	}

	@Test
	void getCreditRatingWhenUnknownCompanyThenIsErrorListingKnownOnes() {
		CallToolResult result = client
			.callTool(CallToolRequest.builder("get_credit_rating").arguments(Map.of("company", "Hooli")).build());

		assertThat(result.isError()).isTrue();
		assertThat(errorText(result)).startsWith("No rating on file for 'Hooli'. Companies on file: Acme Corporation");
	}

	private static CallToolResult analyze(Map<String, Object> arguments) {
		return client.callTool(CallToolRequest.builder("analyze_portfolio_risk").arguments(arguments).build());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> structured(CallToolResult result) {
		assertThat(result.isError()).as("isError").isFalse();
		return (Map<String, Object>) result.structuredContent();
	}

	private static String errorText(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
