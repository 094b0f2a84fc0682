package dev.gatehouse.demo.risk;

import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.demo.host.SyncServerDefinition;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

/**
 * The API-key protected demo upstream {@value #SERVER_NAME}, standing in for the
 * "risk-assessment-mcp" server of the seed article.
 *
 * <ul>
 * <li>{@code analyze_portfolio_risk {holdings: [{symbol, weight}], portfolioValue?}}:
 * volatility, one-day 95 % VaR and expected shortfall and the diversification ratio,
 * computed by a documented parametric model from a fixed per-symbol volatility table (see
 * {@code PortfolioRiskModel}). Weights must sum to 1 within ±0.01; unknown or repeated
 * symbols and bad weights give an {@code isError} result that names the problem. Returned
 * as {@code structuredContent} matching the tool's {@code outputSchema}, and as the same
 * JSON in a text block.</li>
 * <li>{@code get_credit_rating {company}}: rating, outlook and investment-grade flag from
 * a fixed table of fictional companies; an unknown company gives an {@code isError}
 * result listing the known ones.</li>
 * </ul>
 * All answers are deterministic. The server itself does no authentication: start it with
 * {@link #host(String)}, or with {@link McpServerHost.Builder#apiKey(String, String)} and
 * {@value #API_KEY_HEADER}, so that requests without the key get {@code 401}.
 */
public final class RiskAssessmentServer {

	/** {@code serverInfo.name}. */
	public static final String SERVER_NAME = "risk-assessment-mcp";

	/** The header that carries the API key. */
	public static final String API_KEY_HEADER = "X-API-Key";

	private RiskAssessmentServer() {
	}

	/**
	 * The server definition, for
	 * {@link McpServerHost.Builder#server(SyncServerDefinition)}.
	 * @return the definition
	 */
	public static SyncServerDefinition definition() {
		return specification -> specification.capabilities(ServerCapabilities.builder().tools(true).build())
			.instructions("Illustrative portfolio risk figures and fictional credit ratings; not investment advice.")
			.tools(PortfolioRiskTool.specification(), CreditRatingTool.specification())
			.build();
	}

	/**
	 * A host builder named {@value #SERVER_NAME} that requires {@value #API_KEY_HEADER};
	 * set the port, then {@code start()}.
	 * @param apiKey the key clients must send, not empty
	 * @return a new builder
	 */
	public static McpServerHost.Builder host(String apiKey) {
		return McpServerHost.builder().name(SERVER_NAME).apiKey(API_KEY_HEADER, apiKey).server(definition());
	}

}
