package dev.gatehouse.demo.host;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * How an {@link McpServerHost} checks OAuth 2.0 bearer tokens, for
 * {@link McpServerHost.Builder#bearerTokens(BearerTokenSettings)}: the one trusted
 * issuer, where its keys are, which scope each tool needs, and the clock that judges
 * expiry.
 *
 * <pre>{@code
 * BearerTokenSettings settings = BearerTokenSettings.builder(idp.issuer())
 * 	.toolScope("analyze_portfolio_risk", "risk:analyze")
 * 	.toolScope("get_credit_rating", "data:read")
 * 	.clock(clock)
 * 	.build();
 * }</pre>
 *
 * Immutable and thread-safe.
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP
 * authorization (2025-11-25)</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6750">RFC 6750</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068">RFC 9068</a>
 */
public final class BearerTokenSettings {

	/** RFC 6749 section 3.3 {@code scope-token}. */
	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private final String issuer;

	private final @Nullable String jwkSetUri;

	private final Map<String, String> toolScopes;

	private final List<String> scopesSupported;

	private final Clock clock;

	private BearerTokenSettings(Builder builder) {
		this.issuer = builder.issuer;
		this.jwkSetUri = builder.jwkSetUri;
		this.toolScopes = Map.copyOf(builder.toolScopes);
		List<String> supported = new ArrayList<>(builder.scopesSupported);
		if (supported.isEmpty()) {
			supported.addAll(new LinkedHashSet<>(builder.toolScopes.values()));
		}
		this.scopesSupported = List.copyOf(supported);
		this.clock = builder.clock;
	}

	/**
	 * Starts building settings for tokens of one issuer.
	 * @param issuer the issuer identifier the tokens' {@code iss} must equal exactly, an
	 * absolute {@code http(s)} URL
	 * @return a new builder
	 */
	public static Builder builder(String issuer) {
		return new Builder(issuer);
	}

	/**
	 * The trusted issuer, also the one authorization server in the protected resource
	 * metadata.
	 * @return the issuer identifier
	 */
	public String issuer() {
		return this.issuer;
	}

	/**
	 * The JWK Set URI, if set; otherwise it is discovered from the issuer's RFC 8414 or
	 * OpenID Connect metadata on first use.
	 * @return the URI, or {@code null}
	 */
	public @Nullable String jwkSetUri() {
		return this.jwkSetUri;
	}

	/**
	 * The scope each tool needs on {@code tools/call}; tools not named need none.
	 * @return tool name to scope
	 */
	public Map<String, String> toolScopes() {
		return this.toolScopes;
	}

	/**
	 * The scopes of the protected resource metadata and of the {@code 401} challenge.
	 * @return the scopes; by default those of {@link #toolScopes()}, in order
	 */
	public List<String> scopesSupported() {
		return this.scopesSupported;
	}

	/**
	 * The clock that judges {@code exp} and {@code nbf} (with 60 seconds of skew).
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	@Override
	public String toString() {
		return "BearerTokenSettings[issuer=" + this.issuer + ", jwkSetUri=" + this.jwkSetUri + ", toolScopes="
				+ this.toolScopes + ", scopesSupported=" + this.scopesSupported + "]";
	}

	/**
	 * Builder for {@link BearerTokenSettings}. Not thread-safe.
	 */
	public static final class Builder {

		private final String issuer;

		private @Nullable String jwkSetUri;

		private final Map<String, String> toolScopes = new LinkedHashMap<>();

		private final Set<String> scopesSupported = new LinkedHashSet<>();

		private Clock clock = Clock.systemUTC();

		private Builder(String issuer) {
			this.issuer = requireHttpUrl(issuer, "issuer");
		}

		/**
		 * Sets the JWK Set URI. Default: the {@code jwks_uri} of the issuer's metadata,
		 * fetched from {@code /.well-known/oauth-authorization-server} (RFC 8414), else
		 * {@code /.well-known/openid-configuration}.
		 * @param uri an absolute {@code http(s)} URL
		 * @return this builder
		 */
		public Builder jwkSetUri(String uri) {
			this.jwkSetUri = requireHttpUrl(uri, "uri");
			return this;
		}

		/**
		 * Requires a scope for {@code tools/call} of one tool; a token without it gets
		 * {@code 403 insufficient_scope}.
		 * @param tool the tool name
		 * @param scope an RFC 6749 scope token
		 * @return this builder
		 */
		public Builder toolScope(String tool, String scope) {
			Objects.requireNonNull(tool, "tool must not be null");
			this.toolScopes.put(tool, requireScope(scope));
			return this;
		}

		/**
		 * Sets the scopes advertised in the protected resource metadata and the
		 * {@code 401} challenge. Default: the scopes of {@link #toolScope(String, String)}.
		 * @param scopes RFC 6749 scope tokens; replaces earlier values
		 * @return this builder
		 */
		public Builder scopesSupported(String... scopes) {
			this.scopesSupported.clear();
			for (String scope : scopes) {
				this.scopesSupported.add(requireScope(scope));
			}
			return this;
		}

		/**
		 * Sets the clock that judges token expiry. Default {@link Clock#systemUTC()}.
		 * @param clock the clock, typically shared with the identity provider in tests
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 */
		public BearerTokenSettings build() {
			return new BearerTokenSettings(this);
		}

		private static String requireScope(String scope) {
			Objects.requireNonNull(scope, "scope must not be null");
			if (!SCOPE_TOKEN.matcher(scope).matches()) {
				throw new IllegalArgumentException("scope must be a single scope token but was '" + scope + "'");
			}
			return scope;
		}

		private static String requireHttpUrl(String value, String name) {
			Objects.requireNonNull(value, name + " must not be null");
			try {
				URI uri = new URI(value);
				String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
				if (("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null
						&& uri.getRawFragment() == null) {
					return value;
				}
			}
			catch (URISyntaxException ex) {
				// reported below
			}
			throw new IllegalArgumentException(name + " must be an absolute http(s) URL but was '" + value + "'");
		}

	}

}
