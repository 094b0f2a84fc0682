package dev.gatehouse.demo.idp;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * Logs a user in to an OAuth 2.1 authorization server the way a browser would, with no
 * browser: an authorization code flow with PKCE (S256) over plain HTTP. Made for
 * {@link DemoIdentityProvider} (Spring Security's login page and Spring Authorization
 * Server's consent page), and usable by the gateway's tests to get real tokens.
 *
 * <pre>{@code
 * HeadlessLogin login = HeadlessLogin.builder(idp.issuer())
 * 	.resource("http://127.0.0.1:8080/mcp") // RFC 8707: becomes the token's aud
 * 	.build(); // no client id: one is registered with RFC 7591 on first use
 * Tokens tokens = login.login("alice", "password");
 * Tokens refreshed = login.refresh(tokens.refreshToken(), null);
 * }</pre>
 *
 * <p>
 * The steps: read the RFC 8414 metadata; {@code GET} the authorization endpoint; follow
 * the redirect to the login page; read the form and its CSRF token; post the credentials;
 * follow redirects (posting the consent form if one appears) until the redirect to the
 * client's redirect URI, which is read from {@code Location} and never called; check
 * {@code state}, and the RFC 9207 {@code iss} if the response carries one; post the token
 * request with the {@code code_verifier}. On Spring Authorization Server's consent page it
 * approves every requested scope, or with {@link Builder#consent(boolean) consent(false)}
 * clicks Cancel, which ends in {@code error=access_denied}
 * ({@link HeadlessLoginException} at {@link Step#AUTHORIZATION_RESPONSE}). Each login uses a
 * fresh cookie jar; redirects are followed by hand ({@code Redirect.NEVER}). Every failure
 * is a {@link HeadlessLoginException} naming the step and the HTTP status.
 *
 * <p>
 * Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.1">OAuth
 * 2.1 section 4.1</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636">RFC 7636 (PKCE)</a>
 */
public final class HeadlessLogin {

	/**
	 * The default scope: {@code openid profile email roles}.
	 */
	public static final String DEFAULT_SCOPE = "openid profile email roles";

	/**
	 * The default redirect URI: a loopback URI, as a native client would use. Nothing
	 * needs to listen there.
	 */
	public static final String DEFAULT_REDIRECT_URI = "http://127.0.0.1/callback";

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final @Nullable String clientSecret;

	private final String redirectUri;

	private final String scope;

	private final List<String> resources;

	private final Duration timeout;

	private final String issuer;

	private final boolean approveConsent;

	private final TokenEndpointClient client;

	private final SecureRandom random = new SecureRandom();

	private volatile @Nullable String clientId;

	private HeadlessLogin(Builder builder) {
		this.clientId = builder.clientId;
		this.clientSecret = builder.clientSecret;
		this.redirectUri = builder.redirectUri;
		this.scope = builder.scope;
		this.resources = List.copyOf(builder.resources);
		this.timeout = builder.timeout;
		this.issuer = builder.issuer;
		this.approveConsent = builder.approveConsent;
		this.client = new TokenEndpointClient(builder.issuer, HttpExchanges.stateless(builder.timeout));
	}

	/**
	 * Starts building a login against an authorization server.
	 * @param issuer the issuer identifier, for example {@link DemoIdentityProvider#issuer()}
	 * @return a new builder
	 */
	public static Builder builder(String issuer) {
		return new Builder(issuer);
	}

	/**
	 * The whole flow: {@link #authorize(String, String)}, then
	 * {@link #exchange(AuthorizationCode)}.
	 * @param username the username
	 * @param password the password
	 * @return the tokens
	 * @throws HeadlessLoginException if a step fails
	 */
	public Tokens login(String username, String password) {
		return exchange(authorize(username, password));
	}

	/**
	 * Runs the browser part of the flow, up to the authorization code.
	 * @param username the username
	 * @param password the password
	 * @return the code, with the PKCE verifier and redirect URI to redeem it
	 * @throws HeadlessLoginException if a step fails, for example {@link Step#LOGIN} for
	 * wrong credentials or {@link Step#AUTHORIZATION_RESPONSE} for an error redirect
	 * (such as {@code access_denied} after a cancelled consent) or an {@code iss} that is
	 * not the issuer
	 */
	public AuthorizationCode authorize(String username, String password) {
		Objects.requireNonNull(username, "username must not be null");
		Objects.requireNonNull(password, "password must not be null");
		String client = clientId();
		Pkce pkce = Pkce.generate(this.random);
		String state = randomToken();
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		parameters.put("response_type", List.of("code"));
		parameters.put("client_id", List.of(client));
		parameters.put("redirect_uri", List.of(this.redirectUri));
		parameters.put("scope", List.of(this.scope));
		parameters.put("state", List.of(state));
		parameters.put("code_challenge", List.of(pkce.challenge()));
		parameters.put("code_challenge_method", List.of("S256"));
		if (!this.resources.isEmpty()) {
			parameters.put(ResourceIndicators.PARAMETER, this.resources);
		}
		URI request = URI.create(this.client.endpoints().authorization() + "?" + HttpExchanges.encode(parameters));
		return new BrowserFlow(HttpExchanges.browser(this.timeout), this.redirectUri, state, pkce, this.issuer,
				this.approveConsent)
			.run(request, username, password);
	}

	/**
	 * Redeems an authorization code at the token endpoint, with its
	 * {@code code_verifier} and this login's {@code resource} values.
	 * @param code the result of {@link #authorize(String, String)}
	 * @return the tokens
	 * @throws HeadlessLoginException with step {@link Step#TOKEN} if the server refuses
	 */
	public Tokens exchange(AuthorizationCode code) {
		Objects.requireNonNull(code, "code must not be null");
		Map<String, List<String>> fields = new LinkedHashMap<>();
		fields.put("grant_type", List.of("authorization_code"));
		fields.put("code", List.of(code.code()));
		fields.put("redirect_uri", List.of(code.redirectUri()));
		fields.put("code_verifier", List.of(code.codeVerifier()));
		if (!this.resources.isEmpty()) {
			fields.put(ResourceIndicators.PARAMETER, this.resources);
		}
		return tokenRequest(fields, Step.TOKEN);
	}

	/**
	 * Refreshes tokens. The demo identity provider rotates refresh tokens: use the new one
	 * next time, the old one is refused.
	 * @param refreshToken the refresh token
	 * @param resource an RFC 8707 resource to ask for, or {@code null} to keep the grant's
	 * audience
	 * @return the new tokens
	 * @throws HeadlessLoginException with step {@link Step#REFRESH} if the server refuses
	 */
	public Tokens refresh(String refreshToken, @Nullable String resource) {
		Objects.requireNonNull(refreshToken, "refreshToken must not be null");
		Map<String, List<String>> fields = new LinkedHashMap<>();
		fields.put("grant_type", List.of("refresh_token"));
		fields.put("refresh_token", List.of(refreshToken));
		if (resource != null) {
			fields.put(ResourceIndicators.PARAMETER, List.of(resource));
		}
		return tokenRequest(fields, Step.REFRESH);
	}

	/**
	 * Registers a public client (RFC 7591, no initial access token) for the authorization
	 * code and refresh token grants, as MCP clients do.
	 * @param redirectUri the client's redirect URI
	 * @return the issued {@code client_id}
	 * @throws HeadlessLoginException with step {@link Step#REGISTRATION} if the server
	 * refuses (for example {@code invalid_redirect_uri}) or offers no registration
	 */
	public String register(String redirectUri) {
		Objects.requireNonNull(redirectUri, "redirectUri must not be null");
		return this.client.register(redirectUri);
	}

	/**
	 * The client id this login uses: the one given to the builder, or one registered with
	 * {@link #register(String)} for the redirect URI on first use.
	 * @return the client id
	 */
	public String clientId() {
		String current = this.clientId;
		if (current == null) {
			synchronized (this) {
				current = this.clientId;
				if (current == null) {
					current = register(this.redirectUri);
					this.clientId = current;
				}
			}
		}
		return current;
	}

	private Tokens tokenRequest(Map<String, List<String>> fields, Step step) {
		return this.client.tokenRequest(fields, clientId(), this.clientSecret, step);
	}

	private String randomToken() {
		byte[] bytes = new byte[24];
		this.random.nextBytes(bytes);
		return BASE64URL.encodeToString(bytes);
	}

	/**
	 * A token response.
	 *
	 * @param accessToken {@code access_token}
	 * @param refreshToken {@code refresh_token}, if issued
	 * @param idToken {@code id_token}, if issued (scope {@code openid})
	 * @param expiresIn {@code expires_in} in seconds, {@code 0} if absent
	 * @param scope {@code scope}, if returned
	 */
	public record Tokens(String accessToken, @Nullable String refreshToken, @Nullable String idToken, long expiresIn,
			@Nullable String scope) {

		/**
		 * Checks the access token.
		 * @param accessToken must not be null
		 * @param refreshToken may be null
		 * @param idToken may be null
		 * @param expiresIn seconds
		 * @param scope may be null
		 */
		public Tokens {
			Objects.requireNonNull(accessToken, "accessToken must not be null");
		}

		@Override
		public String toString() {
			return "Tokens[accessToken=[REDACTED], refreshToken=" + ((this.refreshToken != null) ? "[REDACTED]" : null)
					+ ", idToken=" + ((this.idToken != null) ? "[REDACTED]" : null) + ", expiresIn=" + this.expiresIn
					+ ", scope=" + this.scope + "]";
		}

	}

	/**
	 * An authorization code with what its token request needs.
	 *
	 * @param code the code
	 * @param codeVerifier the PKCE verifier of the request that obtained it
	 * @param redirectUri the redirect URI of that request
	 * @param issuer the RFC 9207 {@code iss} of the authorization response (already
	 * checked to be the issuer), or {@code null} if it had none
	 */
	public record AuthorizationCode(String code, String codeVerifier, String redirectUri, @Nullable String issuer) {

		/**
		 * Checks the components.
		 * @param code must not be null
		 * @param codeVerifier must not be null
		 * @param redirectUri must not be null
		 * @param issuer may be null
		 */
		public AuthorizationCode {
			Objects.requireNonNull(code, "code must not be null");
			Objects.requireNonNull(codeVerifier, "codeVerifier must not be null");
			Objects.requireNonNull(redirectUri, "redirectUri must not be null");
		}

		/**
		 * A code from a response without {@code iss}.
		 * @param code must not be null
		 * @param codeVerifier must not be null
		 * @param redirectUri must not be null
		 */
		public AuthorizationCode(String code, String codeVerifier, String redirectUri) {
			this(code, codeVerifier, redirectUri, null);
		}

		@Override
		public String toString() {
			return "AuthorizationCode[code=[REDACTED], codeVerifier=[REDACTED], redirectUri=" + this.redirectUri
					+ ", issuer=" + this.issuer + "]";
		}

	}

	/**
	 * Builder for {@link HeadlessLogin}. Not thread-safe.
	 */
	public static final class Builder {

		private final String issuer;

		private @Nullable String clientId;

		private @Nullable String clientSecret;

		private String redirectUri = DEFAULT_REDIRECT_URI;

		private String scope = DEFAULT_SCOPE;

		private final List<String> resources = new ArrayList<>();

		private Duration timeout = Duration.ofSeconds(10);

		private boolean approveConsent = true;

		private Builder(String issuer) {
			Objects.requireNonNull(issuer, "issuer must not be null");
			this.issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
		}

		/**
		 * Uses an existing client. Default: a public client registered on first use.
		 * @param clientId the client id
		 * @return this builder
		 */
		public Builder clientId(String clientId) {
			this.clientId = Objects.requireNonNull(clientId, "clientId must not be null");
			return this;
		}

		/**
		 * Authenticates the client with {@code client_secret_basic} at the token
		 * endpoint (a confidential client such as {@code gatehouse-web}). Default: a
		 * public client, which sends {@code client_id} in the form.
		 * @param clientSecret the secret
		 * @return this builder
		 */
		public Builder clientSecret(String clientSecret) {
			this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret must not be null");
			return this;
		}

		/**
		 * Sets the redirect URI. Default {@value HeadlessLogin#DEFAULT_REDIRECT_URI}.
		 * @param redirectUri a redirect URI registered for the client
		 * @return this builder
		 */
		public Builder redirectUri(String redirectUri) {
			this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri must not be null");
			return this;
		}

		/**
		 * Sets the requested scope. Default {@value HeadlessLogin#DEFAULT_SCOPE}.
		 * @param scope space-separated scopes
		 * @return this builder
		 */
		public Builder scope(String scope) {
			this.scope = Objects.requireNonNull(scope, "scope must not be null");
			return this;
		}

		/**
		 * Adds RFC 8707 resource indicators, sent with the authorization request and the
		 * token request. Default none.
		 * @param resources absolute URIs, for example the gateway's MCP endpoint
		 * @return this builder
		 */
		public Builder resource(String... resources) {
			for (String resource : resources) {
				this.resources.add(Objects.requireNonNull(resource, "resources must not contain null"));
			}
			return this;
		}

		/**
		 * What the user does on a consent page: approve every requested scope (the
		 * default), or cancel, after which the authorization server redirects with
		 * {@code error=access_denied}.
		 * @param approve {@code true} to approve, {@code false} to deny
		 * @return this builder
		 */
		public Builder consent(boolean approve) {
			this.approveConsent = approve;
			return this;
		}

		/**
		 * Sets the connect and per-request timeout. Default ten seconds.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			Objects.requireNonNull(timeout, "timeout must not be null");
			if (timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive but was " + timeout);
			}
			this.timeout = timeout;
			return this;
		}

		/**
		 * Builds the login. Nothing is sent until the first call.
		 * @return the login
		 */
		public HeadlessLogin build() {
			return new HeadlessLogin(this);
		}

	}

}
