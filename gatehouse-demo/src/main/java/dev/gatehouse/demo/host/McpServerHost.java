package dev.gatehouse.demo.host;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import jakarta.servlet.Filter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A running MCP server built with the MCP Java SDK and served by an embedded Tomcat on
 * {@code 127.0.0.1}.
 *
 * <p>
 * The caller defines the server (tools, resources, prompts, capabilities) with a
 * {@link SyncServerDefinition} or {@link AsyncServerDefinition}; the host supplies the
 * transport:
 * <ul>
 * <li>Streamable HTTP ({@code HttpServletStreamableServerTransportProvider}) on
 * {@code /mcp}, the default;</li>
 * <li>or, with {@link Builder#legacySse(boolean) legacySse(true)}, the HTTP+SSE transport
 * of protocol revision 2024-11-05 ({@code HttpServletSseServerTransportProvider}): SSE
 * stream on {@code /sse}, messages POSTed to {@code /message?sessionId=..}. Use it to
 * test a client's fallback to the old transport.</li>
 * </ul>
 * Host and Origin headers are checked against {@code localhost} and {@code 127.0.0.1}
 * with any port (DNS-rebinding protection: anything else gets 403 for a bad Origin or 421
 * for a bad Host, from the SDK). With {@link Builder#apiKey(String, String)} every
 * request must carry the key, otherwise it is answered {@code 401} with a JSON body
 * before it reaches the SDK. With {@link Builder#bearerTokens(BearerTokenSettings)} the
 * host is an OAuth 2.0 protected resource as MCP authorization (2025-11-25) describes it:
 * RFC 9728 metadata at {@code /.well-known/oauth-protected-resource[/mcp]}, RFC 6750
 * bearer JWTs checked on every request (issuer, signature, audience = {@link #url()},
 * expiry, per-tool scopes), {@code 401}/{@code 403} challenges that name the metadata,
 * the verified {@link BearerCaller} in the SDK's transport context, and
 * {@link #observedTokens()} for tests.
 *
 * <p>
 * The built server stays reachable through {@link #syncServer()} /
 * {@link #asyncServer()}, so tests can add or remove tools at runtime ({@code addTool},
 * {@code removeTool}, {@code notifyToolsListChanged}).
 *
 * <pre>{@code
 * try (McpServerHost host = McpServerHost.builder()
 * 		.name("weather")
 * 		.apiKey("X-API-Key", "secret")
 * 		.server(spec -> spec.capabilities(ServerCapabilities.builder().tools(true).build()).tools(forecast).build())
 * 		.start()) {
 * 	URI endpoint = URI.create(host.url()); // http://127.0.0.1:PORT/mcp
 * }
 * }</pre>
 *
 * <p>
 * Thread-safe; {@link #close()} is idempotent.
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">MCP
 * Streamable HTTP transport</a>
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2024-11-05/basic/transports#http-with-sse">MCP
 * HTTP with SSE transport (2024-11-05)</a>
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#security-warning">DNS
 * rebinding protection</a>
 */
public final class McpServerHost implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(McpServerHost.class);

	/**
	 * How long {@link #close()} lets open sessions finish before closing them forcibly.
	 */
	private static final Duration GRACEFUL_CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final String name;

	private final boolean legacySse;

	private final @Nullable McpSyncServer syncServer;

	private final McpAsyncServer asyncServer;

	private final McpServerTransportProviderBase transportProvider;

	private final LoopbackTomcat tomcat;

	private final String url;

	private final @Nullable BearerTokenFilter bearerTokens;

	private final AtomicBoolean closed = new AtomicBoolean();

	private McpServerHost(String name, boolean legacySse, @Nullable McpSyncServer syncServer,
			McpAsyncServer asyncServer, HostTransport transport, LoopbackTomcat tomcat,
			@Nullable BearerTokenFilter bearerTokens) {
		this.name = name;
		this.legacySse = legacySse;
		this.syncServer = syncServer;
		this.asyncServer = asyncServer;
		this.transportProvider = transport.provider();
		this.tomcat = tomcat;
		this.bearerTokens = bearerTokens;
		this.url = "http://" + LoopbackTomcat.BIND_ADDRESS + ":" + tomcat.port() + transport.clientEndpoint();
	}

	/**
	 * Starts building a host.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The server name, also sent as {@code serverInfo.name} unless the definition
	 * overrides it.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The TCP port Tomcat listens on (the real one when port 0 was requested).
	 * @return the port
	 */
	public int port() {
		return this.tomcat.port();
	}

	/**
	 * The URL a client connects to: {@code http://127.0.0.1:PORT/mcp}, or
	 * {@code http://127.0.0.1:PORT/sse} for the legacy transport.
	 * @return the endpoint URL
	 */
	public String url() {
		return this.url;
	}

	/**
	 * The scheme, host and port without a path ({@code http://127.0.0.1:PORT}), which is
	 * what the SDK's client transport builders take as their base URI.
	 * @return the base URL
	 */
	public String baseUrl() {
		return "http://" + LoopbackTomcat.BIND_ADDRESS + ":" + this.tomcat.port();
	}

	/**
	 * The URL of this host's RFC 9728 protected resource metadata, the one its
	 * {@code 401} challenges name (served only with
	 * {@link Builder#bearerTokens(BearerTokenSettings) bearer tokens}).
	 * @return {@code http://127.0.0.1:PORT/.well-known/oauth-protected-resource/mcp} (or
	 * {@code /sse} for the legacy transport)
	 */
	public String resourceMetadataUrl() {
		return baseUrl() + BearerTokenFilter.WELL_KNOWN + this.url.substring(baseUrl().length());
	}

	/**
	 * Every request the bearer-token check judged, in arrival order, with the verdict.
	 * Holds token hashes, never tokens.
	 * @return an immutable snapshot; empty if the host does not check bearer tokens
	 */
	public List<ObservedToken> observedTokens() {
		return (this.bearerTokens != null) ? this.bearerTokens.observed() : List.of();
	}

	/**
	 * Whether this host serves the legacy HTTP+SSE transport instead of Streamable HTTP.
	 * @return {@code true} for HTTP+SSE
	 */
	public boolean legacySse() {
		return this.legacySse;
	}

	/**
	 * The synchronous server returned by the {@link SyncServerDefinition}.
	 * @return the server
	 * @throws IllegalStateException if the host was built with an
	 * {@link AsyncServerDefinition}
	 */
	public McpSyncServer syncServer() {
		if (this.syncServer == null) {
			throw new IllegalStateException("Host '" + this.name + "' was built with an async server definition");
		}
		return this.syncServer;
	}

	/**
	 * The reactive server: the one returned by the {@link AsyncServerDefinition}, or the
	 * one behind the synchronous server.
	 * @return the server
	 */
	public McpAsyncServer asyncServer() {
		return this.asyncServer;
	}

	/**
	 * The SDK transport provider (the servlet): for targeting one session with
	 * {@code notifyClient(sessionId, method, params)} or broadcasting with
	 * {@code notifyClients(method, params)}, below the server API.
	 * @return the Streamable HTTP or HTTP+SSE provider
	 */
	public McpServerTransportProviderBase transportProvider() {
		return this.transportProvider;
	}

	/**
	 * Closes all MCP sessions (waiting at most two seconds for them to end gracefully),
	 * then stops Tomcat and deletes its scratch directory. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.asyncServer.closeGracefully()
			.timeout(GRACEFUL_CLOSE_TIMEOUT)
			.onErrorResume(ex -> Mono.fromRunnable(this.asyncServer::close))
			.block();
		this.tomcat.stop();
		logger.info("Stopped MCP server '{}' on {}", this.name, this.url);
	}

	@Override
	public String toString() {
		return "McpServerHost[name=" + this.name + ", url=" + this.url + "]";
	}

	/**
	 * Builder for {@link McpServerHost}. Not thread-safe; {@link #start()} may be called
	 * more than once to start several independent hosts with the same settings.
	 */
	public static final class Builder {

		/**
		 * RFC 9110 section 5.6.2 {@code token}: the characters allowed in a header field
		 * name.
		 */
		private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

		private String name = "gatehouse-demo";

		private String version = "1.0.0";

		private int port;

		private boolean legacySse;

		private @Nullable String apiKeyHeader;

		private byte @Nullable [] apiKeyDigest;

		private @Nullable BearerTokenSettings bearerTokenSettings;

		private @Nullable SyncServerDefinition syncDefinition;

		private @Nullable AsyncServerDefinition asyncDefinition;

		private Builder() {
		}

		/**
		 * Sets the server name, used as {@code serverInfo.name} and in log lines. Default
		 * {@code gatehouse-demo}.
		 * @param name the name, must not be blank
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = requireNonBlank(name, "name");
			return this;
		}

		/**
		 * Sets {@code serverInfo.version}. Default {@code 1.0.0}.
		 * @param version the version, must not be blank
		 * @return this builder
		 */
		public Builder version(String version) {
			this.version = requireNonBlank(version, "version");
			return this;
		}

		/**
		 * Sets the TCP port on {@code 127.0.0.1}. Default {@code 0}: an ephemeral port,
		 * see {@link McpServerHost#port()}.
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
		 * Selects the legacy HTTP+SSE transport (protocol revision 2024-11-05) instead of
		 * Streamable HTTP. Default {@code false}.
		 * @param legacySse {@code true} for HTTP+SSE on {@code /sse} and {@code /message}
		 * @return this builder
		 */
		public Builder legacySse(boolean legacySse) {
			this.legacySse = legacySse;
			return this;
		}

		/**
		 * Requires every HTTP request to carry exactly one header {@code headerName} with
		 * the value {@code expectedValue}; anything else is answered {@code 401} with a
		 * JSON body and never reaches the MCP server. The comparison runs in constant
		 * time on SHA-256 digests; the key itself is not kept.
		 * @param headerName the header name, an RFC 9110 token such as {@code X-API-Key}
		 * @param expectedValue the key, must not be empty
		 * @return this builder
		 */
		public Builder apiKey(String headerName, String expectedValue) {
			if (this.bearerTokenSettings != null) {
				throw new IllegalStateException("apiKey and bearerTokens are mutually exclusive");
			}
			Objects.requireNonNull(headerName, "headerName must not be null");
			Objects.requireNonNull(expectedValue, "expectedValue must not be null");
			if (!HEADER_NAME.matcher(headerName).matches()) {
				throw new IllegalArgumentException("headerName must be an HTTP token but was '" + headerName + "'");
			}
			if (expectedValue.isEmpty()) {
				throw new IllegalArgumentException("expectedValue must not be empty");
			}
			this.apiKeyHeader = headerName;
			this.apiKeyDigest = ApiKeyFilter.sha256(expectedValue);
			return this;
		}

		/**
		 * Makes the host an OAuth 2.0 protected resource: every request to the MCP
		 * endpoint needs {@code Authorization: Bearer} with a JWT access token of the
		 * settings' issuer whose {@code aud} names {@link McpServerHost#url()}, and
		 * {@code tools/call} of a tool with a required scope needs it (see
		 * {@link BearerTokenSettings}). Protected resource metadata is served at
		 * {@code /.well-known/oauth-protected-resource} and
		 * {@code /.well-known/oauth-protected-resource/mcp}.
		 * @param settings the token rules
		 * @return this builder
		 * @throws IllegalStateException if {@link #apiKey(String, String)} was set
		 */
		public Builder bearerTokens(BearerTokenSettings settings) {
			Objects.requireNonNull(settings, "settings must not be null");
			if (this.apiKeyHeader != null) {
				throw new IllegalStateException("apiKey and bearerTokens are mutually exclusive");
			}
			this.bearerTokenSettings = settings;
			return this;
		}

		/**
		 * Sets the synchronous server definition. Replaces any async definition.
		 * @param definition builds the server on the transport-bound specification it
		 * receives
		 * @return this builder
		 */
		public Builder server(SyncServerDefinition definition) {
			this.syncDefinition = Objects.requireNonNull(definition, "definition must not be null");
			this.asyncDefinition = null;
			return this;
		}

		/**
		 * Sets the reactive server definition. Replaces any sync definition.
		 * @param definition builds the server on the transport-bound specification it
		 * receives
		 * @return this builder
		 */
		public Builder asyncServer(AsyncServerDefinition definition) {
			this.asyncDefinition = Objects.requireNonNull(definition, "definition must not be null");
			this.syncDefinition = null;
			return this;
		}

		/**
		 * Builds the server and starts Tomcat. Returns once the port is listening.
		 * @return the running host; close it to stop
		 * @throws IllegalStateException if no server definition was set, or Tomcat cannot
		 * start (for example because the port is taken)
		 */
		public McpServerHost start() {
			if (this.syncDefinition == null && this.asyncDefinition == null) {
				throw new IllegalStateException("A server definition is required: call server(..) or asyncServer(..)");
			}
			HostTransport transport = this.legacySse ? HostTransport.legacySse(HostTransport::callerContext)
					: HostTransport.streamable(HostTransport::callerContext);
			McpSyncServer sync = null;
			McpAsyncServer async;
			if (this.syncDefinition != null) {
				sync = Objects.requireNonNull(
						this.syncDefinition.build(transport.syncSpecification().serverInfo(this.name, this.version)),
						"the server definition returned null");
				async = sync.getAsyncServer();
			}
			else {
				async = Objects.requireNonNull(
						Objects.requireNonNull(this.asyncDefinition)
							.build(transport.asyncSpecification().serverInfo(this.name, this.version)),
						"the server definition returned null");
			}
			BearerTokenFilter bearer = (this.bearerTokenSettings != null)
					? new BearerTokenFilter(this.bearerTokenSettings, transport.clientEndpoint()) : null;
			LoopbackTomcat tomcat = startTomcat(transport, async, bearer);
			McpServerHost host = new McpServerHost(this.name, this.legacySse, sync, async, transport, tomcat, bearer);
			logger.info("Started MCP server '{}' on {}{}", this.name, host.url(), guardDescription());
			return host;
		}

		private String guardDescription() {
			if (this.apiKeyHeader != null) {
				return " (" + this.apiKeyHeader + " required)";
			}
			return (this.bearerTokenSettings != null)
					? " (bearer tokens of " + this.bearerTokenSettings.issuer() + " required)" : "";
		}

		private LoopbackTomcat startTomcat(HostTransport transport, McpAsyncServer server,
				@Nullable BearerTokenFilter bearer) {
			Filter guard = (this.apiKeyHeader != null && this.apiKeyDigest != null)
					? new ApiKeyFilter(this.apiKeyHeader, this.apiKeyDigest) : bearer;
			ProtectedResourceMetadataServlet metadata = (this.bearerTokenSettings != null)
					? new ProtectedResourceMetadataServlet(this.bearerTokenSettings, transport.clientEndpoint()) : null;
			try {
				return LoopbackTomcat.start(this.port, transport, guard, metadata);
			}
			catch (IllegalStateException | UncheckedIOException ex) {
				server.close();
				throw ex;
			}
		}

		private static String requireNonBlank(String value, String name) {
			Objects.requireNonNull(value, name + " must not be null");
			if (value.isBlank()) {
				throw new IllegalArgumentException(name + " must not be blank");
			}
			return value;
		}

	}

}
