package dev.gatehouse.demo.risk;

import java.time.Clock;

import dev.gatehouse.demo.host.BearerCaller;
import dev.gatehouse.demo.host.BearerTokenSettings;
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
 * All answers are deterministic. The server itself does no authentication; its host does,
 * in one of two ways:
 * <ul>
 * <li>{@link #host(String)}: an API key in {@value #API_KEY_HEADER}, else {@code 401};</li>
 * <li>{@link #oauthHost(String)}: an OAuth 2.0 protected resource (MCP authorization,
 * RFC 9728, RFC 6750) that takes bearer JWTs of one issuer whose {@code aud} is the host's
 * URL; {@code analyze_portfolio_risk} needs scope {@value #ANALYZE_SCOPE} and
 * {@code get_credit_rating} needs {@value #DATA_READ_SCOPE}. Each tool result then carries
 * the caller the server saw in {@code _meta} under {@value BearerCaller#META_KEY}
 * ({@code sub}, {@code client_id}, {@code scope}).</li>
 * </ul>
 */
public final class RiskAssessmentServer {

	/** {@code serverInfo.name}. */
	public static final String SERVER_NAME = "risk-assessment-mcp";

	/** The header that carries the API key. */
	public static final String API_KEY_HEADER = "X-API-Key";

	/** The scope {@code analyze_portfolio_risk} needs on the OAuth-protected host. */
	public static final String ANALYZE_SCOPE = "risk:analyze";

	/** The scope {@code get_credit_rating} needs on the OAuth-protected host. */
	public static final String DATA_READ_SCOPE = "data:read";

	private RiskAssessmentServer() {
	}

	/**
	 * The server definition, for
	 * {@link McpServerHost.Builder#server(SyncServerDefinition)}. Its tools echo the
	 * bearer-token caller in {@code _meta} when the host checks bearer tokens.
	 * @return the definition
	 */
	public static SyncServerDefinition definition() {
		return specification -> specification.capabilities(ServerCapabilities.builder().tools(true).build())
			.instructions("Illustrative portfolio risk figures and fictional credit ratings; not investment advice.")
			.tools(BearerCaller.echo(PortfolioRiskTool.specification()),
					BearerCaller.echo(CreditRatingTool.specification()))
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

	/**
	 * A host builder named {@value #SERVER_NAME} that is an OAuth 2.0 protected resource
	 * for tokens of one issuer, judging expiry by the system clock; set the port, then
	 * {@code start()}.
	 * @param issuer the trusted issuer, for example {@code DemoIdentityProvider#issuer()};
	 * its keys are discovered from its metadata on the first request
	 * @return a new builder
	 */
	public static McpServerHost.Builder oauthHost(String issuer) {
		return oauthHost(issuer, Clock.systemUTC());
	}

	/**
	 * {@link #oauthHost(String)} with the clock that judges token expiry, for tests that
	 * share a stepped clock with the identity provider and the gateway.
	 * @param issuer the trusted issuer
	 * @param clock the clock
	 * @return a new builder
	 */
	public static McpServerHost.Builder oauthHost(String issuer, Clock clock) {
		return McpServerHost.builder().name(SERVER_NAME).bearerTokens(bearerTokens(issuer, clock)).server(definition());
	}

	/**
	 * The bearer-token rules of {@link #oauthHost(String, Clock)}: the issuer, the two
	 * tool scopes, {@code scopes_supported} {@value #ANALYZE_SCOPE} {@value #DATA_READ_SCOPE}.
	 * @param issuer the trusted issuer
	 * @param clock the clock that judges expiry
	 * @return the settings
	 */
	public static BearerTokenSettings bearerTokens(String issuer, Clock clock) {
		return BearerTokenSettings.builder(issuer)
			.toolScope(PortfolioRiskTool.NAME, ANALYZE_SCOPE)
			.toolScope(CreditRatingTool.NAME, DATA_READ_SCOPE)
			.scopesSupported(ANALYZE_SCOPE, DATA_READ_SCOPE)
			.clock(clock)
			.build();
	}

}
