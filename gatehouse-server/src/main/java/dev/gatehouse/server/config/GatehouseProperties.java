package dev.gatehouse.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code gatehouse.}, bound once at start-up. Unknown keys are refused so that a typo fails
 * the start instead of being ignored. {@code docs/configuration.md} documents each key.
 *
 * @param publicUrl the URL agents and browsers use to reach this gateway (default {@code http://localhost:8080});
 * the MCP endpoint is {@code {publicUrl}/mcp}
 * @param targetsFile a JSON or YAML list of targets loaded at start-up and re-read when it changes (default none)
 * @param dataDir where the embedded database and other local files live (default {@code ./data})
 * @param vault the master key
 * @param access who may call the gateway
 * @param mcp the agent-facing endpoint
 * @param catalog tool synchronisation
 * @param upstream calls to targets
 * @param egress which outbound addresses are allowed
 * @param cluster coordination between instances sharing a database
 * @param oauth the OAuth 2.0 broker for targets
 * @param audit the audit trail
 * @param tracing OpenTelemetry tracing of tool calls
 * @param alerts alert rules over the audit trail and their delivery ({@code docs/alerts.md})
 * @param http the web server's per-connection buffers
 * @param management who may read the management endpoints beyond health ({@code /actuator/**})
 */
@Validated
@ConfigurationProperties(prefix = "gatehouse", ignoreUnknownFields = false)
public record GatehouseProperties(@DefaultValue("http://localhost:8080") @NotNull URI publicUrl,
		@Nullable Path targetsFile, @DefaultValue("./data") @NotNull Path dataDir, @DefaultValue @Valid Vault vault,
		@DefaultValue @Valid Access access, @DefaultValue @Valid Mcp mcp, @DefaultValue @Valid Catalog catalog,
		@DefaultValue @Valid Upstream upstream, @DefaultValue @Valid Egress egress,
		@DefaultValue @Valid Cluster cluster, @DefaultValue @Valid OAuth oauth, @DefaultValue @Valid Audit audit,
		@DefaultValue @Valid Tracing tracing,
		@DefaultValue @Valid dev.gatehouse.server.monitor.alerts.AlertsProperties alerts,
		@DefaultValue @Valid Http http, @DefaultValue @Valid Management management) {

	/** The canonical URL of the MCP endpoint: {@code {publicUrl}/mcp}, without a trailing slash. */
	public URI mcpUrl() {
		String base = publicUrl.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/mcp");
	}

	/**
	 * The vault master key. Read from the environment variable {@code GATEHOUSE_MASTER_KEY} (base64 of 32
	 * bytes) or from a file; the gateway does not start without one.
	 *
	 * @param masterKeyFile a file holding the base64 key (default none: use {@code GATEHOUSE_MASTER_KEY})
	 * @param previousMasterKeyFile during a change of master key, a file holding the key being replaced (or
	 * {@code GATEHOUSE_PREVIOUS_MASTER_KEY}); the data keys are re-wrapped under the new key at start-up (default
	 * none)
	 * @param rotationBatchSize rows re-sealed per transaction by a data key rotation (default 100)
	 */
	public record Vault(@Nullable Path masterKeyFile, @Nullable Path previousMasterKeyFile,
			@DefaultValue("100") @Min(1) @Max(10000) int rotationBatchSize) {
	}

	/**
	 * Inbound access: who may call {@code /mcp} and the admin API, and with which roles. The primary token issuer
	 * is Spring's {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (with its {@code audiences}); more
	 * issuers can be trusted with {@code issuers}.
	 *
	 * @param localUser the single-user development mode
	 * @param issuers more trusted token issuers, besides Spring's resource-server issuer (default none)
	 * @param audiences the audiences a token must name, one of them; default: the MCP endpoint URL
	 * {@code {public-url}/mcp}, which is also the RFC 9728 resource
	 * @param requiredScopes scopes every token must carry; missing ones get 403 {@code insufficient_scope}
	 * (default none)
	 * @param scopesSupported the scopes advertised in the protected resource metadata (default: the required
	 * scopes, else the scopes of the gateway's OIDC login registrations at a trusted issuer)
	 * @param clockSkew tolerance for {@code exp} and {@code nbf} (default 60s)
	 * @param tokenCacheSize how many verified tokens are remembered until they expire (default 50000)
	 * @param policyFile a YAML or JSON access policy, used while no policy was saved through the admin API
	 * (default none: every authenticated caller may use everything)
	 */
	public record Access(@DefaultValue @Valid LocalUser localUser, @DefaultValue List<@Valid Issuer> issuers,
			@DefaultValue List<String> audiences, @DefaultValue List<String> requiredScopes,
			@DefaultValue List<String> scopesSupported, @DefaultValue("60s") Duration clockSkew,
			@DefaultValue("50000") @Min(100) int tokenCacheSize, @Nullable Path policyFile) {
	}

	/**
	 * A trusted token issuer.
	 *
	 * @param issuerUri the issuer identifier; its OIDC or RFC 8414 metadata gives the JWKS
	 * @param jwkSetUri the JWKS URL, to skip metadata discovery (default: discovered)
	 */
	public record Issuer(@NotNull URI issuerUri, @Nullable URI jwkSetUri) {
	}

	/**
	 * Development only: every request to {@code /mcp} and the admin API acts as one local user, without a token.
	 * The gateway logs a warning at start-up and every hour while it is on.
	 *
	 * @param enabled whether the mode is on (default {@code false})
	 * @param subject the subject of the local user (default {@code local-dev})
	 */
	public record LocalUser(@DefaultValue("false") boolean enabled, @DefaultValue("local-dev") String subject) {
	}

	/**
	 * The management endpoints ({@code /actuator/**} but {@code /actuator/health}).
	 *
	 * @param token a secret reference ({@code env:NAME} or {@code file:PATH}) to the bearer token that reads them
	 * (default none: every management endpoint but health is refused); compared in constant time
	 */
	public record Management(@Nullable String token) {

		/**
		 * The token's reference, or empty when none is configured. Checked here rather than while binding, whose
		 * failure report would print the value: a literal is refused without being echoed.
		 * @throws IllegalStateException when the value is not an {@code env:} or {@code file:} reference
		 */
		public java.util.Optional<dev.gatehouse.core.secret.SecretRef> tokenRef() {
			if (token == null) {
				return java.util.Optional.empty();
			}
			java.util.Optional<dev.gatehouse.core.secret.SecretRef> ref;
			try {
				ref = dev.gatehouse.core.secret.SecretRef.parse(token);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("gatehouse.management.token: " + ex.getMessage());
			}
			if (ref.isEmpty() || ref.get().kind() == dev.gatehouse.core.secret.SecretRef.Kind.VAULT) {
				throw new IllegalStateException(
						"gatehouse.management.token must be a reference, env:NAME or file:PATH, not a value");
			}
			return ref;
		}
	}

	/**
	 * Tomcat's buffers per connection and per request, sized for many held streams rather than for bulk
	 * transfer: a held stream keeps each of them for as long as it is open. Data larger than a buffer is read or
	 * written directly, so smaller buffers cost a few more system calls on large bodies, not correctness.
	 *
	 * @param socketReadBuffer the socket read buffer ({@code socket.appReadBufSize}); the request header buffer
	 * is {@code server.max-http-request-header-size} plus this (default 2KB, Tomcat's default 8KB)
	 * @param socketWriteBuffer the socket write buffer ({@code socket.appWriteBufSize}) (default 2KB, Tomcat's
	 * default 8KB)
	 * @param responseBuffer each response's output buffer (bytes, and as many chars): a response without a
	 * {@code Content-Length} is committed once this much is written (default 2KB, Tomcat's default 8KB)
	 */
	public record Http(@DefaultValue("2KB") DataSize socketReadBuffer, @DefaultValue("2KB") DataSize socketWriteBuffer,
			@DefaultValue("2KB") DataSize responseBuffer) {

		public Http {
			requireRange(socketReadBuffer, "socket-read-buffer");
			requireRange(socketWriteBuffer, "socket-write-buffer");
			requireRange(responseBuffer, "response-buffer");
		}

		private static void requireRange(DataSize size, String name) {
			if (size.toBytes() < 512 || size.toBytes() > 1024 * 1024) {
				throw new IllegalArgumentException("gatehouse.http." + name + " must be between 512B and 1MB, not " + size);
			}
		}
	}

	/**
	 * The Streamable HTTP endpoint {@code /mcp}.
	 *
	 * @param allowedOrigins origins allowed in an {@code Origin} header besides the public URL's own (default
	 * none); {@code *} allows any, a port of {@code *} allows any port
	 * @param allowedHosts {@code Host} header values allowed besides the public URL's host and loopback names
	 * (default none), against DNS rebinding
	 * @param maxRequestSize the largest request body accepted; larger ones get 413 (default 4MB)
	 * @param sessionTtl how long an MCP session lives after {@code initialize} (default 24h)
	 * @param pageSize items per page of {@code tools/list} and the other lists (default 100)
	 * @param toolSeparator between the target name and the upstream tool name (default {@code ___})
	 * @param keepAliveInterval how often an idle SSE stream gets a comment line (default 25s)
	 * @param listTtl the {@code ttlMs} on 2026-07-28 list results (default 60s)
	 */
	public record Mcp(@DefaultValue List<String> allowedOrigins, @DefaultValue List<String> allowedHosts,
			@DefaultValue("4MB") DataSize maxRequestSize, @DefaultValue("24h") Duration sessionTtl,
			@DefaultValue("100") @Min(1) @Max(1000) int pageSize, @DefaultValue("___") String toolSeparator,
			@DefaultValue("25s") Duration keepAliveInterval, @DefaultValue("60s") Duration listTtl) {
	}

	/**
	 * Catalog synchronisation.
	 *
	 * @param syncInterval how often every target's tools, prompts and resources are re-read (default 5m)
	 * @param maxPages the most pages read from one upstream list, against cursors that never end (default 50)
	 * @param syncTimeout the longest one target's synchronisation may take (default 30s)
	 */
	public record Catalog(@DefaultValue("5m") Duration syncInterval, @DefaultValue("50") @Min(1) int maxPages,
			@DefaultValue("30s") Duration syncTimeout) {
	}

	/**
	 * Calls to targets.
	 *
	 * @param defaultTimeout how long to wait for a target that sends nothing, when the target sets no
	 * {@code timeout}; each progress notification restarts it (default 60s)
	 * @param maxCallDuration the hard limit of one call, whatever progress is reported (default 15m)
	 * @param connectTimeout the TCP and TLS connect limit (default 5s)
	 * @param maxConnectionsPerTarget pooled connections per target (default 64)
	 * @param allowInsecureLoopback accept {@code http://} endpoints on loopback hosts (default {@code false};
	 * development and tests)
	 * @param maxResponseSize the largest JSON response read from a target (default 16MB)
	 */
	public record Upstream(@DefaultValue("60s") Duration defaultTimeout, @DefaultValue("15m") Duration maxCallDuration,
			@DefaultValue("5s") Duration connectTimeout, @DefaultValue("64") @Min(1) int maxConnectionsPerTarget,
			@DefaultValue("false") boolean allowInsecureLoopback, @DefaultValue("16MB") DataSize maxResponseSize) {
	}

	/**
	 * The outbound network policy every target, token and metadata URL passes.
	 *
	 * @param allowedHosts host names allowed even when they resolve to a private address (default none)
	 * @param allowedCidrs address ranges allowed although private, such as {@code 10.1.0.0/16} (default none)
	 */
	public record Egress(@DefaultValue List<String> allowedHosts, @DefaultValue List<String> allowedCidrs) {
	}

	/**
	 * Instances that share one database.
	 *
	 * @param pollInterval how often an instance reads events (session ends, catalog changes) written by the
	 * others (default 250ms)
	 * @param eventRetention how long such events are kept (default 10m)
	 */
	public record Cluster(@DefaultValue("250ms") Duration pollInterval, @DefaultValue("10m") Duration eventRetention) {
	}

	/**
	 * The OAuth 2.0 broker: how the gateway obtains, refreshes and revokes users' tokens for targets.
	 *
	 * @param refreshSkew an access token is refreshed when it expires within this (default 60s)
	 * @param defaultTokenLifetime the lifetime assumed for an access token whose response gave no
	 * {@code expires_in} (default 30m)
	 * @param consentTtl how long a consent link, and the authorization it starts, stays usable (default 10m)
	 * @param httpTimeout the deadline of one call to an authorization server (default 10s)
	 * @param refreshBackoff the wait after a refresh failed for a transient reason (timeout, 5xx), doubled after
	 * each further failure (default 5s)
	 * @param maxRefreshBackoff the longest such wait (default 5m)
	 * @param sweepInterval how often recently used grants are refreshed ahead of their next use (default 30s)
	 * @param sweepWindow a grant used within this period is kept fresh by the sweep (default 1h)
	 * @param discoveryTtl how long discovered metadata (RFC 9728, RFC 8414) is reused (default 1h)
	 * @param clientSecretGracePeriod after a client secret rotation, how long the previous secret is still tried
	 * when the authorization server refuses the new one (default 24h)
	 * @param dynamicRegistration where the gateway may register itself as a client (RFC 7591)
	 * @param maxConcurrentRefreshes the most token requests (refreshes, client credentials) one instance makes at
	 * once; each holds its grant's row lock, and so a database connection, until the authorization server answers,
	 * so keep it below the connection pool's size; callers beyond it wait without a connection (default 8)
	 */
	public record OAuth(@DefaultValue("60s") Duration refreshSkew, @DefaultValue("30m") Duration defaultTokenLifetime,
			@DefaultValue("10m") Duration consentTtl, @DefaultValue("10s") Duration httpTimeout,
			@DefaultValue("5s") Duration refreshBackoff, @DefaultValue("5m") Duration maxRefreshBackoff,
			@DefaultValue("30s") Duration sweepInterval, @DefaultValue("1h") Duration sweepWindow,
			@DefaultValue("1h") Duration discoveryTtl, @DefaultValue("24h") Duration clientSecretGracePeriod,
			@DefaultValue @Valid DynamicRegistration dynamicRegistration,
			@DefaultValue("8") @Min(1) int maxConcurrentRefreshes) {
	}

	/**
	 * Dynamic client registration (RFC 7591) at targets' authorization servers, for targets that give no
	 * {@code auth.clientId}. Off unless an issuer is allowed here.
	 *
	 * @param allowedIssuers issuers the gateway may register at; {@code *} allows any (default none)
	 */
	public record DynamicRegistration(@DefaultValue List<String> allowedIssuers) {

		public boolean allows(String issuer) {
			return allowedIssuers.contains("*") || allowedIssuers.contains(issuer);
		}
	}

	/**
	 * The audit trail: a hash-chained table, written off the request path.
	 *
	 * @param queueCapacity records accepted but not yet written, per instance (default 10000)
	 * @param batchSize the most records written in one transaction (default 500)
	 * @param linger under concurrent load (the writer found more than one record waiting), how long it waits for
	 * more before writing, so that one transaction carries many records; a record that arrives alone is written at
	 * once ({@code 0} never waits; default 1ms)
	 * @param overflow what a full queue does to new tool calls: {@code block} waits for room (up to
	 * {@code blockTimeout}, then refuses), {@code reject} refuses them at once (default block). Records already
	 * accepted are never dropped.
	 * @param blockTimeout the longest a tool call waits for room in the queue (default 5s)
	 * @param stream where every record is also written as one JSON line: {@code log} (the logger
	 * {@code gatehouse.audit}), {@code stdout} (syslog-style JSON for a SIEM collector), or {@code none} (default log)
	 * @param retention how long records are kept; older days are deleted after their checkpoint (default 400d)
	 * @param maintenanceInterval how often checkpoints and retention run (default 1m)
	 * @param arguments which targets' call arguments are recorded, and how they are redacted
	 * @param durableTimeout the longest an answered call waits for its record to be stored before its answer goes
	 * to the agent; past it the agent gets an error instead of the answer, and the record is still written when the
	 * store is back (default 10s)
	 * @param instanceTimeout how long an instance may go without a sign of life before another takes over its calls
	 * under way and records them as {@code interrupted} (default 60s; at least 2s)
	 * @param markDelay how long a call may be under way before its mark is written: a call that ends sooner writes
	 * only its record (default 10ms; 0 writes every mark at once; at most 1s). A gateway that dies within this time of
	 * forwarding a call may leave no trace of it; its answer never reached the agent.
	 */
	public record Audit(@DefaultValue("10000") @Min(100) int queueCapacity, @DefaultValue("500") @Min(1) int batchSize,
			@DefaultValue("1ms") Duration linger, @DefaultValue("block") AuditOverflow overflow, @DefaultValue("5s") Duration blockTimeout,
			@DefaultValue("log") AuditStream stream, @DefaultValue("400d") Duration retention,
			@DefaultValue("1m") Duration maintenanceInterval, @DefaultValue @Valid AuditArguments arguments,
			@DefaultValue("10s") Duration durableTimeout, @DefaultValue("60s") Duration instanceTimeout,
			@DefaultValue("10ms") Duration markDelay) {

		public Audit {
			if (durableTimeout.isNegative() || durableTimeout.isZero()) {
				throw new IllegalArgumentException("gatehouse.audit.durable-timeout must be positive, not " + durableTimeout);
			}
			if (markDelay.isNegative() || markDelay.compareTo(Duration.ofSeconds(1)) > 0) {
				throw new IllegalArgumentException("gatehouse.audit.mark-delay must be between 0 and 1s, not " + markDelay);
			}
			if (instanceTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
				throw new IllegalArgumentException(
						"gatehouse.audit.instance-timeout must be at least 2s, not " + instanceTimeout);
			}
			if (linger.isNegative() || linger.compareTo(Duration.ofSeconds(1)) > 0) {
				throw new IllegalArgumentException(
						"gatehouse.audit.linger must be between 0 and 1s (it delays records by up to that long), not "
								+ linger);
			}
		}
	}

	/** What a full audit queue does to new tool calls. */
	public enum AuditOverflow {
		BLOCK, REJECT
	}

	/** Where audit records are streamed besides the database. */
	public enum AuditStream {
		LOG, STDOUT, NONE
	}

	/**
	 * Raw arguments in tool-call records, for targets that opt in.
	 *
	 * @param targets the targets whose call arguments are recorded (default none: only a digest is kept)
	 * @param redact member-name fragments whose values are replaced by {@code [REDACTED]} at any depth
	 * (case-insensitive; default password, secret, token, key, authorization, credential, cookie)
	 * @param maxChars the longest argument text kept (default 4096)
	 */
	public record AuditArguments(@DefaultValue List<String> targets,
			@DefaultValue({ "password", "secret", "token", "key", "authorization", "credential", "cookie" }) List<String> redact,
			@DefaultValue("4096") @Min(64) int maxChars) {
	}

	/**
	 * OpenTelemetry tracing: a span per tool call with the call to the target as its child, W3C
	 * {@code traceparent} accepted from agents and sent to targets. Off by default, and then free: no span is
	 * created and no header is read or written.
	 *
	 * @param enabled create spans and propagate {@code traceparent} (default {@code false})
	 * @param otlpEndpoint where to export spans with OTLP over HTTP (protobuf), such as
	 * {@code http://collector:4318/v1/traces}; without it spans are created and propagated but not exported
	 * (default none)
	 * @param samplingProbability the share of traces recorded when the agent sent no sampling decision; an
	 * agent's {@code traceparent} decides for its own calls (default 1.0)
	 * @param serviceName the {@code service.name} resource attribute (default {@code gatehouse})
	 */
	public record Tracing(@DefaultValue("false") boolean enabled, @Nullable URI otlpEndpoint,
			@DefaultValue("1.0") @DecimalMin("0.0") @DecimalMax("1.0") double samplingProbability,
			@DefaultValue("gatehouse") @NotNull String serviceName) {
	}
}
