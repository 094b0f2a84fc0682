package dev.gatehouse.demo.risk;

import dev.gatehouse.demo.ToolResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import org.jspecify.annotations.Nullable;

/**
 * {@code analyze_portfolio_risk}: parses the holdings and returns
 * {@link PortfolioRiskModel}'s figures as structured output with an output schema, plus
 * the same JSON as text.
 */
final class PortfolioRiskTool {

	static final String NAME = "analyze_portfolio_risk";

	static final int MAX_HOLDINGS = 50;

	static final double DEFAULT_PORTFOLIO_VALUE = 1_000_000.0;

	private static final String HOLDINGS_SHAPE = "'holdings' must be a non-empty array of at most " + MAX_HOLDINGS
			+ " objects {\"symbol\": string, \"weight\": number between 0 and 1}.";

	private static final String OUTPUT_SCHEMA = """
			{
			  "type": "object",
			  "properties": {
			    "holdings": {"type": "integer", "description": "Number of positions"},
			    "annualVolatility": {"type": "number", "description": "Annualized portfolio volatility (fraction)"},
			    "dailyVolatility": {"type": "number", "description": "One-trading-day volatility (fraction)"},
			    "valueAtRisk95OneDay": {"type": "number", "description": "One-day 95% VaR (fraction of value)"},
			    "expectedShortfall95OneDay": {"type": "number", "description": "One-day 95% expected shortfall (fraction)"},
			    "portfolioValue": {"type": "number"},
			    "valueAtRisk95OneDayAmount": {"type": "number", "description": "VaR in the units of portfolioValue"},
			    "diversificationRatio": {"type": "number", "description": "Weighted volatility / portfolio volatility"},
			    "largestPosition": {
			      "type": "object",
			      "properties": {"symbol": {"type": "string"}, "weight": {"type": "number"}},
			      "required": ["symbol", "weight"]
			    },
			    "riskLevel": {"type": "string", "enum": ["LOW", "MODERATE", "HIGH", "VERY_HIGH"]},
			    "model": {"type": "string"}
			  },
			  "required": ["holdings", "annualVolatility", "dailyVolatility", "valueAtRisk95OneDay",
			    "expectedShortfall95OneDay", "portfolioValue", "valueAtRisk95OneDayAmount", "diversificationRatio",
			    "largestPosition", "riskLevel", "model"]
			}""";

	private PortfolioRiskTool() {
	}

	static SyncToolSpecification specification() {
		return SyncToolSpecification.builder()
			.tool(Tool
				.builder(NAME,
						ToolResults
							.schema("""
									{
									  "type": "object",
									  "properties": {
									    "holdings": {
									      "type": "array",
									      "minItems": 1,
									      "maxItems": 50,
									      "description": "Positions; weights are fractions of the portfolio value and must sum to 1 (±0.01)",
									      "items": {
									        "type": "object",
									        "properties": {
									          "symbol": {"type": "string", "description": "Ticker symbol, e.g. AAPL"},
									          "weight": {"type": "number", "minimum": 0, "maximum": 1}
									        },
									        "required": ["symbol", "weight"],
									        "additionalProperties": false
									      }
									    },
									    "portfolioValue": {
									      "type": "number",
									      "exclusiveMinimum": 0,
									      "description": "Portfolio value used for the VaR amount. Default 1000000."
									    }
									  },
									  "required": ["holdings"],
									  "additionalProperties": false
									}"""))
				.title("Analyze portfolio risk")
				.description("Computes annual and daily volatility, one-day 95% value at risk and expected shortfall, "
						+ "and the diversification ratio of a portfolio, from fixed illustrative volatilities "
						+ "(parametric normal model, constant correlation 0.30).")
				.outputSchema(ToolResults.schema(OUTPUT_SCHEMA))
				.annotations(
						ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true).openWorldHint(false).build())
				.build())
			.callHandler((exchange, request) -> analyze(request))
			.build();
	}

	static CallToolResult analyze(CallToolRequest request) {
		Map<String, Object> arguments = (request.arguments() != null) ? request.arguments() : Map.of();
		try {
			RiskReport report = PortfolioRiskModel.analyze(holdings(arguments.get("holdings")),
					portfolioValue(arguments.get("portfolioValue")));
			return ToolResults.structured(report.toStructuredContent());
		}
		catch (RejectedRequestException ex) {
			return ToolResults.error(String.valueOf(ex.getMessage()));
		}
	}

	private static List<Holding> holdings(@Nullable Object raw) {
		if (!(raw instanceof List<?>) || ((List<?>) raw).isEmpty() || ((List<?>) raw).size() > MAX_HOLDINGS) {
			throw new RejectedRequestException(HOLDINGS_SHAPE);
		}
		List<Holding> holdings = new ArrayList<>();
		List<?> entries = (List<?>) raw;
		for (int index = 0; index < entries.size(); index++) {
			holdings.add(holding(entries.get(index), index));
		}
		return holdings;
	}

	private static Holding holding(@Nullable Object entry, int index) {
		if (!(entry instanceof Map<?, ?> map)) {
			throw new RejectedRequestException("holdings[" + index + "] must be an object. " + HOLDINGS_SHAPE);
		}
		Object symbol = map.get("symbol");
		if (!(symbol instanceof String text) || text.isBlank()) {
			throw new RejectedRequestException("holdings[" + index + "].symbol must be a non-empty string.");
		}
		Object weight = map.get("weight");
		if (!(weight instanceof Number number) || !(number.doubleValue() >= 0.0 && number.doubleValue() <= 1.0)) {
			throw new RejectedRequestException("holdings[" + index + "].weight must be a number between 0 and 1.");
		}
		return new Holding(text.strip().toUpperCase(Locale.ROOT), number.doubleValue());
	}

	private static double portfolioValue(@Nullable Object raw) {
		if (raw == null) {
			return DEFAULT_PORTFOLIO_VALUE;
		}
		if (!(raw instanceof Number number) || !Double.isFinite(number.doubleValue()) || number.doubleValue() <= 0.0) {
			throw new RejectedRequestException("'portfolioValue' must be a positive number.");
		}
		return number.doubleValue();
	}

}
