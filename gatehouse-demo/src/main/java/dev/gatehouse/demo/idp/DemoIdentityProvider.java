package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * A demo OAuth 2.1 / OpenID Connect identity provider: a real Spring Authorization Server
 * (Spring Security 7) in its own Spring Boot application context, on {@code 127.0.0.1}.
 * {@code ./gatehouse demo} uses it for agents' tokens and people's login, and the
 * gateway's tests use it as a real authorization server.
 *
 * <pre>{@code
 * try (DemoIdentityProvider idp = DemoIdentityProvider.builder()
 * 		.gatewayClient("gatehouse-web", secret, List.of("http://localhost:8080/login/oauth2/code/idp"))
 * 		.start()) {
 * 	String issuer = idp.issuer(); // http://127.0.0.1:PORT
 * 	Tokens tokens = HeadlessLogin.builder(issuer).resource("http://localhost:8080/mcp").build()
 * 		.login("alice", "password");
 * }
 * }</pre>
 *
 * <p>
 * What it serves: {@code /oauth2/authorize} (code flow; PKCE S256 required for public and
 * dynamically registered clients; RFC 9207 {@code iss} on every response to the client),
 * {@code /oauth2/token} (authorization code, refresh token with rotation and reuse
 * detection, client credentials for {@link DemoClient}s that have it), {@code /oauth2/jwks},
 * {@code /userinfo}, {@code /oauth2/revoke}, {@code /oauth2/introspect}, open RFC 7591
 * registration at {@code /register}, the RFC 8414 and OIDC discovery documents, and form
 * login at {@code /login} for {@link #USERS}. Access tokens are RFC 9068 JWTs whose
 * {@code aud} is the RFC 8707 {@code resource} (see {@link DemoTokenCustomizer} for all
 * claims).
 *
 * <p>
 * For tests: {@link #tokenRequests()} (what reached the token endpoint, without any
 * credential), {@link #refreshTokenReuses()}, {@link #revocations()},
 * {@link #activeAuthorizations(String, String)}, {@link #tokenEndpointOutage(boolean)}
 * and {@link #restart()}. Every time (token {@code iat}/{@code exp}, code and refresh token
 * expiry) comes from the builder's {@link Builder#clock(Clock) clock}, so a test can share
 * a stepped clock with the gateway.
 *
 * <p>
 * Several providers may run in one JVM next to other Spring applications: each has its own
 * context, reads no configuration file, system property or auto-configuration, leaves the
 * host's logging alone, and registers no shutdown hook. Thread-safe; {@link #close()} is
 * idempotent.
 *
 * @see <a href="https://docs.spring.io/spring-security/reference/servlet/oauth2/authorization-server/index.html">Spring
 * Security Authorization Server</a>
 */
public final class DemoIdentityProvider implements AutoCloseable {

	/**
	 * The demo users; the password of each is {@code password}.
	 */
	public static final List<DemoUser> USERS = List.of(
			new DemoUser("alice", "password", List.of("risk-analyst"), List.of("risk")),
			new DemoUser("bob", "password", List.of("finance-analyst"), List.of("finance")),
			new DemoUser("carol", "password", List.of("admin"), List.of("it-admins")),
			new DemoUser("dave", "password", List.of(), List.of()));

	/**
	 * The scopes every client may request: {@code openid profile email roles}.
	 */
	public static final List<String> STANDARD_SCOPES = List.of("openid", "profile", "email", "roles");

	/**
	 * The default access token lifetime: five minutes.
	 */
	public static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(5);

	/**
	 * The default refresh token lifetime: eight hours.
	 */
	public static final Duration DEFAULT_REFRESH_TOKEN_TTL = Duration.ofHours(8);

	private static final Logger logger = LoggerFactory.getLogger(DemoIdentityProvider.class);

	private static final int PORT_ATTEMPTS = 3;

	private final ConfigurableApplicationContext context;

	private final IdentityProviderSettings settings;

	private final AtomicBoolean closed = new AtomicBoolean();

	private DemoIdentityProvider(ConfigurableApplicationContext context, IdentityProviderSettings settings) {
		this.context = context;
		this.settings = settings;
	}

	/**
	 * Starts building a provider.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The issuer identifier, also the base URL of every endpoint.
	 * @return for example {@code http://127.0.0.1:54321}, without a trailing slash
	 */
	public String issuer() {
		return this.settings.issuer();
	}

	/**
	 * The TCP port on {@code 127.0.0.1} (the real one when port 0 was requested).
	 * @return the port
	 */
	public int port() {
		return this.settings.port();
	}

	/**
	 * The registered clients, for tests of this package that need a client the public API
	 * cannot create.
	 * @return the live repository
	 */
	RegisteredClientRepository registeredClients() {
		return this.settings.state().clients();
	}

	/**
	 * Replaces a confidential client's secret at once, as an administrator does when rotating it at a real
	 * authorization server: from now on only the new secret authenticates the client.
	 * @param clientId a registered client with a secret
	 * @param secret the new secret, in clear (stored as {@code {noop}}, never logged)
	 * @throws IllegalArgumentException if there is no such client
	 */
	public void changeClientSecret(String clientId, String secret) {
		RegisteredClientRepository clients = registeredClients();
		org.springframework.security.oauth2.server.authorization.client.RegisteredClient client = clients
			.findByClientId(clientId);
		if (client == null) {
			throw new IllegalArgumentException("no client " + clientId);
		}
		clients.save(org.springframework.security.oauth2.server.authorization.client.RegisteredClient.from(client)
			.clientSecret("{noop}" + secret)
			.build());
	}

	/**
	 * Every request that reached the token endpoint since the provider started (restarts
	 * included), in arrival order. No record holds a code, verifier, secret, assertion or
	 * token.
	 * @return an immutable snapshot
	 */
	public List<TokenRequest> tokenRequests() {
		return this.settings.state().tokenEndpoint().tokenRequests();
	}

	/**
	 * How many requests of one grant type reached the token endpoint, answered or not.
	 * @param grantType for example {@code refresh_token}
	 * @return the count
	 */
	public long tokenRequestCount(String grantType) {
		Objects.requireNonNull(grantType, "grantType must not be null");
		return tokenRequests().stream().filter((request) -> request.grantType().equals(grantType)).count();
	}

	/**
	 * How many times a refresh token that had already been rotated out (used once) was
	 * presented again. Each time the provider revoked the whole grant and answered
	 * {@code invalid_grant}.
	 * @return the count
	 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.14.2">RFC 9700
	 * section 4.14.2</a>
	 */
	public long refreshTokenReuses() {
		return this.settings.state().authorizations().refreshTokenReuses();
	}

	/**
	 * How many RFC 7009 revocation requests were answered {@code 200} (which the endpoint
	 * also answers for a token it does not know).
	 * @return the count
	 */
	public long revocations() {
		return this.settings.state().tokenEndpoint().revocations();
	}

	/**
	 * How many grants of a client for a user still hold a refresh token or an access
	 * token that is neither revoked nor expired by the provider clock. Shows whether a
	 * revocation at {@code /oauth2/revoke}, or reuse detection, really ended a grant.
	 * @param clientId the client id
	 * @param username the user, or the client id itself for client credentials grants
	 * @return the count, {@code 0} for an unknown client
	 */
	public int activeAuthorizations(String clientId, String username) {
		Objects.requireNonNull(clientId, "clientId must not be null");
		Objects.requireNonNull(username, "username must not be null");
		RegisteredClient client = this.settings.state().clients().findByClientId(clientId);
		return (client != null) ? this.settings.state().authorizations().activeAuthorizations(client.getId(), username)
				: 0;
	}

	/**
	 * Takes the token endpoint down or brings it back. While down, {@code /oauth2/token}
	 * answers {@code 503} with {@code {"error":"temporarily_unavailable"}} (still recorded
	 * in {@link #tokenRequests()}); every other endpoint keeps working. The switch
	 * survives {@link #restart()}.
	 * @param down {@code true} to fail every token request
	 */
	public void tokenEndpointOutage(boolean down) {
		this.settings.state().tokenEndpoint().outage(down);
	}

	/**
	 * Stops this provider (if it still runs) and starts it again on the same port with
	 * the same issuer, key, clock, clients (dynamically registered ones included), grants,
	 * consents and observations, as a real provider backed by a database would come
	 * back. Login sessions are lost. Tokens issued before the restart keep working.
	 * @return the new running provider; this one stays closed
	 * @throws IllegalStateException if the port cannot be bound again
	 */
	public DemoIdentityProvider restart() {
		close();
		try {
			DemoIdentityProvider restarted = new DemoIdentityProvider(IdentityProviderApplication.run(this.settings),
					this.settings);
			logger.info("Restarted demo identity provider {}", this.settings.issuer());
			return restarted;
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not restart the demo identity provider on "
					+ IdentityProviderConfiguration.BIND_ADDRESS + ":" + this.settings.port() + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Stops the server and closes the application context. Idempotent. The port is free
	 * again when this returns.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.context.close();
			logger.info("Stopped demo identity provider {}", this.settings.issuer());
		}
	}

	@Override
	public String toString() {
		return "DemoIdentityProvider[issuer=" + this.settings.issuer() + "]";
	}

	/**
	 * Builder for {@link DemoIdentityProvider}. Not thread-safe; {@link #start()} may be
	 * called more than once, but each provider needs its own port.
	 */
	public static final class Builder {

		private int port;

		private @Nullable String issuer;

		private @Nullable RSAKey signingKey;

		private Duration accessTokenTtl = DEFAULT_ACCESS_TOKEN_TTL;

		private Duration refreshTokenTtl = DEFAULT_REFRESH_TOKEN_TTL;

		private @Nullable GatewayClient gatewayClient;

		private final Map<String, DemoClient> clients = new LinkedHashMap<>();

		private final Set<String> extraScopes = new LinkedHashSet<>();

		private Clock clock = Clock.systemUTC();

		private boolean authorizationResponseIss = true;

		private Builder() {
		}

		/**
		 * Sets the TCP port on {@code 127.0.0.1}. Default {@code 0}: a free port is chosen
		 * before start, so that the default issuer can contain it.
		 * @param port the port, {@code 0..65535}
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535 but was " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Sets the issuer identifier. Default {@code http://127.0.0.1:<port>}. Use
		 * {@code http://localhost:<port>} when browsers and the gateway must agree on a
		 * name. The provider still listens on {@code 127.0.0.1} only.
		 * @param issuer an {@code https} URL, or an {@code http} URL on a loopback host
		 * (demo and tests only); no path, query or fragment; a trailing slash is removed
		 * @return this builder
		 */
		public Builder issuer(String issuer) {
			this.issuer = validIssuer(Objects.requireNonNull(issuer, "issuer must not be null"));
			return this;
		}

		/**
		 * Sets the key that signs every token. Tests pass their own key to also sign
		 * crafted tokens. Default: a new RSA 2048 key whose {@code kid} is its RFC 7638
		 * thumbprint.
		 * @param signingKey an RSA key with its private part; its {@code kid}, if any, is
		 * put in the token headers
		 * @return this builder
		 */
		public Builder signingKey(RSAKey signingKey) {
			Objects.requireNonNull(signingKey, "signingKey must not be null");
			if (!signingKey.isPrivate()) {
				throw new IllegalArgumentException("signingKey must contain the private key");
			}
			this.signingKey = signingKey;
			return this;
		}

		/**
		 * Sets the access token lifetime. Default five minutes.
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
		 * Sets the refresh token lifetime, measured by the provider clock. Default eight
		 * hours.
		 * @param refreshTokenTtl a positive duration
		 * @return this builder
		 */
		public Builder refreshTokenTtl(Duration refreshTokenTtl) {
			Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl must not be null");
			if (refreshTokenTtl.isNegative() || refreshTokenTtl.isZero()) {
				throw new IllegalArgumentException("refreshTokenTtl must be positive but was " + refreshTokenTtl);
			}
			this.refreshTokenTtl = refreshTokenTtl;
			return this;
		}

		/**
		 * Sets the provider clock: {@code iat}, {@code nbf} and {@code exp} of every token,
		 * the expiry of codes and refresh tokens (checked against this clock too, not the
		 * system's), client assertion times and {@code client_id_issued_at}. Default
		 * {@link Clock#systemUTC()}. Tests pass a stepped clock shared with the gateway.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Registers another client. The scopes it names become scopes of the provider.
		 * May be called several times, once per client id.
		 * @param client the client
		 * @return this builder
		 * @throws IllegalArgumentException if a client with that id was already added
		 */
		public Builder client(DemoClient client) {
			Objects.requireNonNull(client, "client must not be null");
			if (this.clients.containsKey(client.clientId())) {
				throw new IllegalArgumentException("client " + client.clientId() + " is already registered");
			}
			this.clients.put(client.clientId(), client);
			return this;
		}

		/**
		 * Whether every authorization response, success or error redirect to the client,
		 * carries {@code iss=<issuer>}, and both metadata documents say
		 * {@code "authorization_response_iss_parameter_supported": true}. Default
		 * {@code true}; {@code false} gives neither (for a client's fallback without
		 * RFC 9207).
		 * @param enabled whether to send {@code iss}
		 * @return this builder
		 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9207">RFC 9207</a>
		 */
		public Builder authorizationResponseIss(boolean enabled) {
			this.authorizationResponseIss = enabled;
			return this;
		}

		/**
		 * Registers the gateway's confidential client for its OIDC login: grant types
		 * {@code authorization_code} and {@code refresh_token}, authentication
		 * {@code client_secret_basic}, scopes {@code openid profile email roles} (plus
		 * {@link #scopes(String...) extra scopes}), PKCE allowed but not required, no
		 * consent screen.
		 * @param clientId the client id, for example {@code gatehouse-web}
		 * @param secret the client secret, in clear; never logged
		 * @param redirectUris the exact redirect URIs (absolute http(s), no fragment), for
		 * example {@code http://localhost:8080/login/oauth2/code/idp}
		 * @return this builder
		 */
		public Builder gatewayClient(String clientId, String secret, List<String> redirectUris) {
			this.gatewayClient = new GatewayClient(clientId, secret, redirectUris);
			return this;
		}

		/**
		 * Adds scopes that every client may request besides {@link #STANDARD_SCOPES}, for
		 * example the scope a gateway requires on its MCP endpoint. (Dynamically
		 * registered clients may also name extra scopes in their registration.)
		 * @param scopes RFC 6749 scope tokens
		 * @return this builder
		 */
		public Builder scopes(String... scopes) {
			for (String scope : scopes) {
				Objects.requireNonNull(scope, "scopes must not contain null");
				if (scope.isBlank() || scope.contains(" ")) {
					throw new IllegalArgumentException("scopes must be single scope tokens but contained '" + scope + "'");
				}
				this.extraScopes.add(scope);
			}
			return this;
		}

		/**
		 * Starts the provider. Returns once it accepts connections.
		 * @return the running provider; close it to stop
		 * @throws IllegalStateException if it cannot start, for example because the port
		 * is taken
		 */
		public DemoIdentityProvider start() {
			RSAKey key = (this.signingKey != null) ? this.signingKey : IdentityProviderApplication.generateKey();
			if (this.gatewayClient != null && this.clients.containsKey(this.gatewayClient.clientId())) {
				throw new IllegalStateException(
						"client " + this.gatewayClient.clientId() + " is both the gateway client and a DemoClient");
			}
			Set<String> scopes = new LinkedHashSet<>(STANDARD_SCOPES);
			scopes.addAll(this.extraScopes);
			this.clients.values().forEach((client) -> scopes.addAll(client.scopes()));
			IdentityProviderState state = IdentityProviderState.create(this.clock);
			for (int attempt = 1;; attempt++) {
				int actualPort = (this.port != 0) ? this.port : LoopbackPorts.pickFree();
				String issuerValue = (this.issuer != null) ? this.issuer
						: "http://" + IdentityProviderConfiguration.BIND_ADDRESS + ":" + actualPort;
				IdentityProviderSettings settings = new IdentityProviderSettings(issuerValue, actualPort, key,
						this.accessTokenTtl, this.refreshTokenTtl, this.gatewayClient, List.copyOf(this.clients.values()),
						List.copyOf(scopes), USERS, this.clock, this.authorizationResponseIss, state);
				try {
					DemoIdentityProvider provider = new DemoIdentityProvider(IdentityProviderApplication.run(settings),
							settings);
					logger.info("Started demo identity provider {} on {}:{}", settings.issuer(),
							IdentityProviderConfiguration.BIND_ADDRESS, actualPort);
					return provider;
				}
				catch (RuntimeException ex) {
					boolean portTaken = IdentityProviderApplication.isPortInUse(ex);
					if (portTaken && this.port == 0 && attempt < PORT_ATTEMPTS) {
						continue;
					}
					throw new IllegalStateException("Could not start the demo identity provider on "
							+ IdentityProviderConfiguration.BIND_ADDRESS + ":" + actualPort
							+ (portTaken ? ": port in use" : ": " + ex.getMessage()), ex);
				}
			}
		}

		private static String validIssuer(String issuer) {
			String value = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
			URI uri;
			try {
				uri = new URI(value);
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("issuer must be a URL but was '" + issuer + "'", ex);
			}
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			boolean loopback = uri.getHost() != null
					&& Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT));
			boolean schemeAllowed = "https".equals(scheme) || ("http".equals(scheme) && loopback);
			if (!schemeAllowed || uri.getHost() == null || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null
					|| uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
				throw new IllegalArgumentException("issuer must be an https origin, or an http origin on a loopback"
						+ " host, without path, query or fragment, but was '" + issuer + "'");
			}
			return value;
		}

	}

}
