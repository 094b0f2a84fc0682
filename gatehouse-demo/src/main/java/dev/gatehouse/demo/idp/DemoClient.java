package dev.gatehouse.demo.idp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A client pre-registered with a {@link DemoIdentityProvider} through
 * {@link DemoIdentityProvider.Builder#client(DemoClient)}: a confidential client with a
 * secret ({@code client_secret_basic}, {@code client_secret_post}), a client that signs
 * RFC 7523 assertions ({@code private_key_jwt}), or a public client ({@code none}); for
 * the authorization code, refresh token and client credentials grants.
 *
 * <pre>{@code
 * DemoClient gateway = DemoClient.builder("gatehouse-risk")
 * 	.secret("s3cret")
 * 	.authenticationMethods("client_secret_post")
 * 	.redirectUris("http://127.0.0.1:8080/oauth/callback/risk-assessment-mcp")
 * 	.scopes("risk:analyze", "data:read")
 * 	.requireConsent(true)
 * 	.build();
 * }</pre>
 *
 * <p>
 * Every client of the provider gets rotating refresh tokens (a refresh token works once)
 * and the provider's refresh token lifetime. Immutable and thread-safe;
 * {@link #toString()} never shows the secret.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-2">RFC 6749 section
 * 2 (client registration)</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7523#section-2.2">RFC 7523
 * section 2.2 (private_key_jwt)</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-2">RFC 8414 section
 * 2 (authentication method names)</a>
 */
public final class DemoClient {

	/** {@code client_secret_basic}: id and secret in the HTTP Basic header. */
	public static final String CLIENT_SECRET_BASIC = "client_secret_basic";

	/** {@code client_secret_post}: id and secret in the form body. */
	public static final String CLIENT_SECRET_POST = "client_secret_post";

	/** {@code private_key_jwt}: an RFC 7523 assertion signed with the client's key. */
	public static final String PRIVATE_KEY_JWT = "private_key_jwt";

	/** {@code none}: a public client, identified by {@code client_id} only. */
	public static final String NONE = "none";

	/** {@code authorization_code}. */
	public static final String AUTHORIZATION_CODE = "authorization_code";

	/** {@code refresh_token}. */
	public static final String REFRESH_TOKEN = "refresh_token";

	/** {@code client_credentials}. */
	public static final String CLIENT_CREDENTIALS = "client_credentials";

	private static final Set<String> AUTHENTICATION_METHODS = Set.of(CLIENT_SECRET_BASIC, CLIENT_SECRET_POST,
			PRIVATE_KEY_JWT, NONE);

	private static final Set<String> GRANT_TYPES = Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS);

	/** RFC 6749 section 3.3 {@code scope-token}. */
	private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private final String clientId;

	private final @Nullable String secret;

	private final List<String> authenticationMethods;

	private final @Nullable String jwkSetUrl;

	private final List<String> grantTypes;

	private final List<String> redirectUris;

	private final List<String> scopes;

	private final boolean requireConsent;

	private final boolean requireProofKey;

	private final @Nullable Duration accessTokenTtl;

	private DemoClient(Builder builder, List<String> authenticationMethods) {
		this.clientId = builder.clientId;
		this.secret = builder.secret;
		this.authenticationMethods = List.copyOf(authenticationMethods);
		this.jwkSetUrl = builder.jwkSetUrl;
		this.grantTypes = List.copyOf(builder.grantTypes);
		this.redirectUris = List.copyOf(builder.redirectUris);
		this.scopes = List.copyOf(builder.scopes);
		this.requireConsent = builder.requireConsent;
		this.requireProofKey = builder.requireProofKey;
		this.accessTokenTtl = builder.accessTokenTtl;
	}

	/**
	 * Starts building a client.
	 * @param clientId the {@code client_id}, not blank
	 * @return a new builder
	 */
	public static Builder builder(String clientId) {
		return new Builder(clientId);
	}

	/**
	 * The client id.
	 * @return the {@code client_id}
	 */
	public String clientId() {
		return this.clientId;
	}

	/**
	 * The client secret, for the provider's configuration only (package-private: the
	 * test that built the client already knows it).
	 */
	@Nullable String secret() {
		return this.secret;
	}

	/**
	 * How the client may authenticate at the token, revocation and introspection
	 * endpoints.
	 * @return RFC 8414 method names, in the order given
	 */
	public List<String> authenticationMethods() {
		return this.authenticationMethods;
	}

	/**
	 * Where the provider fetches the client's public keys for {@code private_key_jwt}.
	 * @return the JWK Set URL, or {@code null}
	 */
	public @Nullable String jwkSetUrl() {
		return this.jwkSetUrl;
	}

	/**
	 * The grant types the client may use.
	 * @return RFC 6749 grant type names
	 */
	public List<String> grantTypes() {
		return this.grantTypes;
	}

	/**
	 * The exact redirect URIs.
	 * @return the URIs, empty for a client without the authorization code grant
	 */
	public List<String> redirectUris() {
		return this.redirectUris;
	}

	/**
	 * The scopes the client may request; empty means every scope the provider offers.
	 * @return the scopes
	 */
	public List<String> scopes() {
		return this.scopes;
	}

	/**
	 * Whether the user sees Spring Authorization Server's consent page.
	 * @return {@code true} if consent is required
	 */
	public boolean requireConsent() {
		return this.requireConsent;
	}

	/**
	 * Whether every authorization request must carry a PKCE S256 challenge.
	 * @return {@code true} if PKCE is required
	 */
	public boolean requireProofKey() {
		return this.requireProofKey;
	}

	/**
	 * The access token lifetime of this client.
	 * @return the lifetime, or {@code null} for the provider's
	 */
	public @Nullable Duration accessTokenTtl() {
		return this.accessTokenTtl;
	}

	/**
	 * Whether the client has a secret.
	 * @return {@code true} for a secret-based confidential client
	 */
	public boolean hasSecret() {
		return this.secret != null;
	}

	/**
	 * Describes the client without its secret.
	 * @return the description
	 */
	@Override
	public String toString() {
		return "DemoClient[clientId=" + this.clientId + ", secret=" + ((this.secret != null) ? "[REDACTED]" : null)
				+ ", authenticationMethods=" + this.authenticationMethods + ", grantTypes=" + this.grantTypes
				+ ", redirectUris=" + this.redirectUris + ", scopes=" + this.scopes + ", requireConsent="
				+ this.requireConsent + ", requireProofKey=" + this.requireProofKey + "]";
	}

	/**
	 * Builder for {@link DemoClient}. Not thread-safe.
	 */
	public static final class Builder {

		private final String clientId;

		private @Nullable String secret;

		private final List<String> authenticationMethods = new ArrayList<>();

		private @Nullable String jwkSetUrl;

		private final Set<String> grantTypes = new LinkedHashSet<>(List.of(AUTHORIZATION_CODE, REFRESH_TOKEN));

		private final List<String> redirectUris = new ArrayList<>();

		private final Set<String> scopes = new LinkedHashSet<>();

		private boolean requireConsent;

		private boolean requireProofKey = true;

		private @Nullable Duration accessTokenTtl;

		private Builder(String clientId) {
			Objects.requireNonNull(clientId, "clientId must not be null");
			if (clientId.isBlank()) {
				throw new IllegalArgumentException("clientId must not be blank");
			}
			this.clientId = clientId;
		}

		/**
		 * Makes the client confidential with this secret. Its default authentication
		 * method becomes {@code client_secret_basic}.
		 * @param secret the secret in clear, not empty; never logged
		 * @return this builder
		 */
		public Builder secret(String secret) {
			Objects.requireNonNull(secret, "secret must not be null");
			if (secret.isEmpty()) {
				throw new IllegalArgumentException("secret must not be empty");
			}
			this.secret = secret;
			return this;
		}

		/**
		 * Sets how the client authenticates. Default: {@code client_secret_basic} with a
		 * secret, else {@code private_key_jwt} with a JWK Set URL, else {@code none}.
		 * @param methods among {@value DemoClient#CLIENT_SECRET_BASIC},
		 * {@value DemoClient#CLIENT_SECRET_POST}, {@value DemoClient#PRIVATE_KEY_JWT},
		 * {@value DemoClient#NONE}; replaces earlier values
		 * @return this builder
		 */
		public Builder authenticationMethods(String... methods) {
			this.authenticationMethods.clear();
			for (String method : methods) {
				Objects.requireNonNull(method, "authenticationMethods must not contain null");
				if (!AUTHENTICATION_METHODS.contains(method)) {
					throw new IllegalArgumentException(
							"authenticationMethods must be among " + AUTHENTICATION_METHODS + " but contained '" + method + "'");
				}
				if (!this.authenticationMethods.contains(method)) {
					this.authenticationMethods.add(method);
				}
			}
			return this;
		}

		/**
		 * Sets where the client publishes its public keys, for {@code private_key_jwt}.
		 * The provider accepts assertions signed with RS256 or ES256 by a key of that set
		 * (Spring's client setting names one algorithm, RS256; this provider's decoder
		 * accepts both).
		 * @param url an absolute {@code http(s)} URL
		 * @return this builder
		 */
		public Builder jwkSetUrl(String url) {
			Objects.requireNonNull(url, "url must not be null");
			RedirectUris.requireValid(url, "jwkSetUrl");
			this.jwkSetUrl = url;
			return this;
		}

		/**
		 * Sets the grant types. Default {@code authorization_code} and
		 * {@code refresh_token}.
		 * @param grantTypes among {@value DemoClient#AUTHORIZATION_CODE},
		 * {@value DemoClient#REFRESH_TOKEN}, {@value DemoClient#CLIENT_CREDENTIALS};
		 * replaces the default
		 * @return this builder
		 */
		public Builder grantTypes(String... grantTypes) {
			this.grantTypes.clear();
			for (String grantType : grantTypes) {
				Objects.requireNonNull(grantType, "grantTypes must not contain null");
				if (!GRANT_TYPES.contains(grantType)) {
					throw new IllegalArgumentException(
							"grantTypes must be among " + GRANT_TYPES + " but contained '" + grantType + "'");
				}
				this.grantTypes.add(grantType);
			}
			return this;
		}

		/**
		 * Adds exact redirect URIs; required with the authorization code grant.
		 * @param uris absolute {@code http(s)} URIs without fragment
		 * @return this builder
		 */
		public Builder redirectUris(String... uris) {
			for (String uri : uris) {
				Objects.requireNonNull(uri, "redirectUris must not contain null");
				RedirectUris.requireValid(uri, "redirectUris");
				this.redirectUris.add(uri);
			}
			return this;
		}

		/**
		 * Adds the scopes this client may request; the provider offers them too (as
		 * {@link DemoIdentityProvider.Builder#scopes(String...)} would). Default: every
		 * scope of the provider.
		 * @param scopes RFC 6749 scope tokens
		 * @return this builder
		 */
		public Builder scopes(String... scopes) {
			for (String scope : scopes) {
				Objects.requireNonNull(scope, "scopes must not contain null");
				if (!SCOPE_TOKEN.matcher(scope).matches()) {
					throw new IllegalArgumentException("scopes must be single scope tokens but contained '" + scope + "'");
				}
				this.scopes.add(scope);
			}
			return this;
		}

		/**
		 * Shows Spring Authorization Server's consent page after login. Default
		 * {@code false}.
		 * @param requireConsent whether the user must consent to the scopes
		 * @return this builder
		 */
		public Builder requireConsent(boolean requireConsent) {
			this.requireConsent = requireConsent;
			return this;
		}

		/**
		 * Requires a PKCE S256 challenge on every authorization request. Default
		 * {@code true}; with {@code false} PKCE is still checked when sent.
		 * @param requireProofKey whether PKCE is mandatory
		 * @return this builder
		 */
		public Builder requireProofKey(boolean requireProofKey) {
			this.requireProofKey = requireProofKey;
			return this;
		}

		/**
		 * Sets this client's access token lifetime. Default: the provider's.
		 * @param accessTokenTtl a positive duration
		 * @return this builder
		 */
		public Builder accessTokenTtl(Duration accessTokenTtl) {
			Objects.requireNonNull(accessTokenTtl, "accessTokenTtl must not be null");
			if (accessTokenTtl.isNegative() || accessTokenTtl.isZero()) {
				throw new IllegalArgumentException("accessTokenTtl must be positive but was " + accessTokenTtl);
			}
			this.accessTokenTtl = accessTokenTtl;
			return this;
		}

		/**
		 * Builds the client after checking that its settings fit together.
		 * @return the client
		 * @throws IllegalStateException if a method lacks its credential (a secret for
		 * the secret methods, a JWK Set URL for {@code private_key_jwt}), no grant type
		 * is set, the authorization code grant has no redirect URI, or a public client
		 * asks for client credentials
		 */
		public DemoClient build() {
			List<String> methods = new ArrayList<>(this.authenticationMethods);
			if (methods.isEmpty()) {
				methods.add((this.secret != null) ? CLIENT_SECRET_BASIC
						: (this.jwkSetUrl != null) ? PRIVATE_KEY_JWT : NONE);
			}
			boolean secretMethod = methods.contains(CLIENT_SECRET_BASIC) || methods.contains(CLIENT_SECRET_POST);
			require(!secretMethod || this.secret != null, "client_secret_basic and client_secret_post need a secret");
			require(this.secret == null || secretMethod, "a secret needs client_secret_basic or client_secret_post");
			require(!methods.contains(PRIVATE_KEY_JWT) || this.jwkSetUrl != null, "private_key_jwt needs a jwkSetUrl");
			require(!this.grantTypes.isEmpty(), "at least one grant type is required");
			require(!this.grantTypes.contains(AUTHORIZATION_CODE) || !this.redirectUris.isEmpty(),
					"the authorization_code grant needs at least one redirect URI");
			require(!this.grantTypes.contains(CLIENT_CREDENTIALS) || !methods.equals(List.of(NONE)),
					"a public client (none) cannot use client_credentials");
			return new DemoClient(this, methods);
		}

		private void require(boolean condition, String message) {
			if (!condition) {
				throw new IllegalStateException("DemoClient " + this.clientId + ": " + message);
			}
		}

	}

}
