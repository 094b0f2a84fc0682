package dev.gatehouse.server.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.Threads;
import dev.gatehouse.server.credentials.GrantStore.Row;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Valid access tokens for OAuth 2.0 targets, on the hot path. A token good for longer than
 * {@code gatehouse.oauth.refresh-skew} comes from memory. Otherwise the grant is refreshed, once: concurrent
 * callers in this process wait for the same refresh (single flight), and instances sharing the database serialise
 * on the grant's row lock and find it already refreshed. A rotated refresh token is stored in the same update as
 * the new access token, the {@code resource} is sent on every refresh, a transient failure keeps the grant (and the
 * current token while it is still valid) and backs off, and {@code invalid_grant} marks the grant for re-consent.
 * Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700#section-4.14.2">RFC 9700 §4.14.2 (refresh token
 * rotation)</a>
 */
@Component
public final class UpstreamTokens implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(UpstreamTokens.class);

	static final String GRANT_CHANGED = "grant.changed";

	private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

	private final GrantStore store;

	private final AuthorizationDiscovery discovery;

	private final OAuthClients clients;

	private final TokenEndpoint tokenEndpoint;

	private final ConsentRequests consents;

	private final TransactionTemplate transactions;

	private final ClusterEvents cluster;

	private final AuditTrail audit;

	private final Clock clock;

	private final GatehouseProperties.OAuth properties;

	private final Map<Owner, ActiveToken> cache = new ConcurrentHashMap<>();

	private final Map<Owner, CompletableFuture<ActiveToken>> inFlight = new ConcurrentHashMap<>();

	private final Map<String, Instant> touched = new ConcurrentHashMap<>();

	/** Bounds the locked refreshes in flight, each holding a database connection across a token request. */
	private final Semaphore refreshPermits;

	private final ExecutorService background = Threads.perTask("gatehouse-grant-touch");

	UpstreamTokens(GrantStore store, AuthorizationDiscovery discovery, OAuthClients clients,
			TokenEndpoint tokenEndpoint, ConsentRequests consents, TransactionTemplate transactions,
			ClusterEvents cluster, AuditTrail audit, Clock clock, GatehouseProperties properties) {
		this.store = store;
		this.discovery = discovery;
		this.clients = clients;
		this.tokenEndpoint = tokenEndpoint;
		this.consents = consents;
		this.transactions = transactions;
		this.cluster = cluster;
		this.audit = audit;
		this.clock = clock;
		this.properties = properties.oauth();
		this.refreshPermits = new Semaphore(this.properties.maxConcurrentRefreshes(), true);
	}

	@Override
	public void afterPropertiesSet() {
		cluster.subscribe(GRANT_CHANGED, this::evict);
	}

	/** Whose grant: a user's (authorization code) or the target's own (client credentials). */
	record Owner(String target, String issuer, String subject) {

		static Owner of(Caller caller, Target target) {
			TargetAuth.OAuth2 oauth = (TargetAuth.OAuth2) target.auth();
			return (oauth.grantType() == TargetAuth.GrantType.CLIENT_CREDENTIALS)
					? new Owner(target.name(), Grant.CLIENT_CREDENTIALS_ISSUER, target.name())
					: new Owner(target.name(), caller.issuer(), caller.subject());
		}
	}

	/**
	 * A usable access token.
	 *
	 * @param grantId the grant it belongs to
	 * @param version the grant's version when it was read
	 * @param accessToken the token; never logged
	 * @param expiresAt when it expires
	 */
	public record ActiveToken(String grantId, long version, Secret accessToken, Instant expiresAt) {

		@Override
		public String toString() {
			return "ActiveToken[grant=" + grantId + ", version=" + version + ", expiresAt=" + expiresAt + "]";
		}
	}

	/**
	 * A valid token of the caller's grant for the target (or of the target's client-credentials grant).
	 * @param sessionKey the MCP session to notify when a consent it triggers completes, or {@code null}
	 * @throws ConsentRequiredException when the user must (re)authorise the target
	 * @throws AuthorizationUnavailableException when no valid token can be had now; the grant is kept
	 */
	public ActiveToken token(Caller caller, Target target, @Nullable String sessionKey) {
		Owner owner = Owner.of(caller, target);
		ActiveToken cached = cache.get(owner);
		Instant now = clock.instant();
		if (cached != null && now.plus(properties.refreshSkew()).isBefore(cached.expiresAt())) {
			touch(cached.grantId(), now);
			return cached;
		}
		return singleFlight(owner, () -> obtain(owner, caller, target, sessionKey, null, properties.refreshSkew()));
	}

	/**
	 * The target refused {@code rejected} (HTTP 401): refreshes the grant unless another caller already did, and
	 * returns the new token. Called at most once per call, so a target that refuses every token gets no loop.
	 */
	public ActiveToken afterRejection(Caller caller, Target target, ActiveToken rejected, @Nullable String sessionKey) {
		Owner owner = Owner.of(caller, target);
		cache.remove(owner, rejected);
		return singleFlight(owner, () -> obtain(owner, caller, target, sessionKey, rejected, properties.refreshSkew()));
	}

	/**
	 * A token for reading a per-user target's catalog: the most recently used grant that yields one. A target's
	 * tools are assumed to be the same for every user (the gateway's policy, not the listing, decides who may
	 * call what).
	 */
	java.util.Optional<ActiveToken> anyUsersToken(Target target) {
		for (Grant grant : store.activeForTarget(target.name())) {
			Caller owner = new Caller(grant.issuer(), grant.subject(), null, java.util.Set.of(), java.util.Set.of());
			try {
				return java.util.Optional.of(token(owner, target, null));
			}
			catch (ConsentRequiredException | AuthorizationUnavailableException ex) {
				logger.debug("Grant {} cannot read the catalog of '{}': {}", grant.id(), target.name(), ex.getMessage());
			}
		}
		return java.util.Optional.empty();
	}

	/** Refreshes a grant ahead of its next use (the background sweep). */
	void refreshAhead(Grant grant, Target target) {
		Owner owner = new Owner(grant.target(), grant.issuer(), grant.subject());
		Caller owningCaller = new Caller(grant.issuer(), grant.subject(), null, java.util.Set.of(), java.util.Set.of());
		try {
			Duration horizon = properties.refreshSkew().plus(properties.sweepInterval());
			singleFlight(owner, () -> obtain(owner, owningCaller, target, null, null, horizon));
		}
		catch (ConsentRequiredException | AuthorizationUnavailableException ex) {
			logger.debug("Refreshing grant {} ahead of use did not succeed: {}", grant.id(), ex.getMessage());
		}
	}

	/** Forgets cached tokens of a grant owner (revoked, reconnected, or changed on another instance). */
	void evict(String target, String issuer, String subject) {
		cache.remove(new Owner(target, issuer, subject));
	}

	/** Tells every instance to forget its cached token of a grant owner. */
	void announceChange(String target, String issuer, String subject) {
		evict(target, issuer, subject);
		cluster.publish(GRANT_CHANGED, JsonNodeFactory.instance.objectNode()
			.put("target", target)
			.put("issuer", issuer)
			.put("subject", subject));
	}

	private void evict(JsonNode payload) {
		evict(payload.get("target").asString(), payload.get("issuer").asString(), payload.get("subject").asString());
	}

	private ActiveToken singleFlight(Owner owner, Supplier<ActiveToken> work) {
		CompletableFuture<ActiveToken> mine = new CompletableFuture<>();
		CompletableFuture<ActiveToken> running = inFlight.putIfAbsent(owner, mine);
		if (running != null) {
			try {
				return running.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
			}
		}
		try {
			ActiveToken token = work.get();
			mine.complete(token);
			return token;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			inFlight.remove(owner, mine);
		}
	}

	private ActiveToken obtain(Owner owner, Caller caller, Target target, @Nullable String sessionKey,
			@Nullable ActiveToken rejected, Duration horizon) {
		Instant now = clock.instant();
		if (rejected == null) {
			Row row = store.find(owner.target(), owner.issuer(), owner.subject()).orElse(null);
			if (row != null && row.grant().active() && row.accessToken() != null && fresh(row.grant(), now, horizon)) {
				try {
					return remember(owner, row);
				}
				catch (CryptoException ex) {
					// Fall through: the locked path below drops tokens that no longer open.
				}
			}
			if (row == null && !isClientCredentials(target)) {
				throw consents.create(caller, target.name(), sessionKey, ConsentRequiredException.Reason.NOT_CONNECTED);
			}
		}
		if (isClientCredentials(target)) {
			ensureClientCredentialsRow(target);
		}
		Outcome outcome = withRefreshPermit(
				() -> Objects.requireNonNull(transactions.execute((tx) -> refreshLocked(owner, target, rejected, horizon))));
		return settle(outcome, owner, caller, target, sessionKey);
	}

	/**
	 * Runs a locked refresh once fewer than {@code maxConcurrentRefreshes} are in flight on this instance. A refresh
	 * holds its grant's row lock, and a pooled database connection, until the authorization server answers; without
	 * this bound, many grants expiring together would take every connection and stall the audit writer, and with it
	 * every tool call. Waiting here holds no connection. A caller that cannot get a permit within three token
	 * request deadlines is told to retry; its grant is kept.
	 */
	private Outcome withRefreshPermit(Supplier<Outcome> work) {
		boolean acquired;
		try {
			acquired = refreshPermits.tryAcquire(properties.httpTimeout().multipliedBy(3).toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			acquired = false;
		}
		if (!acquired) {
			return Outcome.failed("too many token requests are in flight on this gateway instance");
		}
		try {
			return work.get();
		}
		finally {
			refreshPermits.release();
		}
	}

	private ActiveToken settle(Outcome outcome, Owner owner, Caller caller, Target target, @Nullable String sessionKey) {
		if (outcome.token != null) {
			cache.put(owner, outcome.token);
			touch(outcome.token.grantId(), clock.instant());
			return outcome.token;
		}
		if (outcome.reconsent) {
			announceChange(owner.target(), owner.issuer(), owner.subject());
			if (isClientCredentials(target)) {
				throw new AuthorizationUnavailableException(target.name(), "The authorization server of target '"
						+ target.name() + "' refused the gateway's client credentials grant; an administrator must "
						+ "check its client configuration");
			}
			throw consents.create(caller, target.name(), sessionKey, outcome.missing
					? ConsentRequiredException.Reason.NOT_CONNECTED : ConsentRequiredException.Reason.EXPIRED);
		}
		throw new AuthorizationUnavailableException(target.name(), "Target '" + target.name() + "' cannot be called "
				+ "right now: " + outcome.problem + ". The authorization is kept; retry in a moment.");
	}

	/** Runs inside a transaction holding the grant's row lock. */
	private Outcome refreshLocked(Owner owner, Target target, @Nullable ActiveToken rejected, Duration horizon) {
		Instant now = clock.instant();
		Row row = store.lock(owner.target(), owner.issuer(), owner.subject()).orElse(null);
		if (row == null) {
			return Outcome.missing();
		}
		Grant grant = row.grant();
		if (Grant.RECONSENT_REQUIRED.equals(grant.status())) {
			return Outcome.reconsent();
		}
		boolean replaced = rejected != null && grant.version() != rejected.version();
		try {
			if (row.accessToken() != null && grant.active() && (replaced || (rejected == null && fresh(grant, now, horizon)))) {
				return Outcome.of(active(row));
			}
			ActiveToken current = (rejected == null && row.accessToken() != null && grant.active()
					&& grant.accessExpiresAt() != null && now.isBefore(grant.accessExpiresAt())) ? active(row) : null;
			if (rejected == null && row.retryRefreshAfter() != null && now.isBefore(row.retryRefreshAfter())) {
				return (current != null) ? Outcome.of(current)
						: Outcome.failed("its authorization server failed recently (retrying after "
								+ row.retryRefreshAfter() + ")");
			}
			return refresh(row, target, current, rejected != null, now);
		}
		catch (CryptoException ex) {
			logger.error("The tokens of grant {} cannot be opened ({}); the user must connect again", grant.id(),
					ex.getMessage());
			store.requireReconsent(grant.id(), "the stored tokens could not be opened", grant.version());
			audit("grant_tokens_unreadable", grant, Map.of("reason", "the stored tokens could not be opened"));
			return Outcome.reconsent();
		}
	}

	private Outcome refresh(Row row, Target target, @Nullable ActiveToken current, boolean rejectedByTarget,
			Instant now) {
		Grant grant = row.grant();
		boolean clientCredentials = isClientCredentials(target);
		Secret refreshToken = clientCredentials ? null : store.openRefreshToken(row);
		if (!clientCredentials && refreshToken == null) {
			if (current != null) {
				return Outcome.of(current);
			}
			if (!rejectedByTarget && row.expiryAssumed() && row.accessToken() != null) {
				// The server gave neither a lifetime nor a refresh token (GitHub-style OAuth apps): the token stays in
				// use until the target refuses it; only then must the user connect again.
				Instant extended = now.plus(properties.defaultTokenLifetime());
				store.extendAssumedExpiry(grant.id(), extended);
				return Outcome.of(new ActiveToken(grant.id(), grant.version(), store.openAccessToken(row), extended));
			}
			store.requireReconsent(grant.id(), "the access token expired and there is no refresh token", grant.version());
			audit("grant_reconsent_required", grant, Map.of("reason", "no refresh token"));
			return Outcome.reconsent();
		}
		try {
			TargetAuthorization auth = discovery.resolve(target);
			OAuthClient client = clients.client(target, auth);
			TokenSet tokens = clientCredentials ? tokenEndpoint.clientCredentials(auth, client, auth.scopes())
					: tokenEndpoint.refresh(auth, client, refreshToken, grant.scopes());
			if (!clientCredentials && tokens.refreshToken() == null) {
				tokens = new TokenSet(tokens.accessToken(), tokens.tokenType(), tokens.expiresAt(), tokens.expiryAssumed(),
						refreshToken, tokens.scopes(), tokens.obtainedAt());
			}
			store.writeTokens(grant.id(), grant.target(), grant.issuer(), grant.subject(), tokens, grant.version(),
					auth.authorizationServer(), client.clientId(), now);
			audit(clientCredentials ? "client_credentials_token_obtained" : "grant_refreshed", grant,
					Map.of("expires_at", tokens.expiresAt().toString()));
			return Outcome.of(new ActiveToken(grant.id(), grant.version() + 1, tokens.accessToken(), tokens.expiresAt()));
		}
		catch (TokenEndpointException ex) {
			if (ex.kind() == TokenEndpointException.Kind.GRANT_REFUSED && !clientCredentials) {
				store.requireReconsent(grant.id(), "the authorization server refused the refresh token ("
						+ ex.error().describe() + ")", grant.version());
				audit("grant_reconsent_required", grant, Map.of("reason", ex.error().describe()));
				return Outcome.reconsent();
			}
			return failed(grant, current, ex.getMessage(), now);
		}
		catch (TargetAuthorizationException | CredentialUnavailableException ex) {
			return failed(grant, current, ex.getMessage(), now);
		}
	}

	private Outcome failed(Grant grant, @Nullable ActiveToken current, String problem, Instant now) {
		int failures = grant.refreshFailures() + 1;
		Duration wait = properties.refreshBackoff().multipliedBy(1L << Math.min(failures - 1, 16));
		if (wait.compareTo(properties.maxRefreshBackoff()) > 0) {
			wait = properties.maxRefreshBackoff();
		}
		store.refreshFailed(grant.id(), failures, now.plus(wait));
		audit("grant_refresh_failed", grant, Map.of("problem", problem, "failures", failures));
		logger.warn("Refreshing the grant {} of target '{}' failed ({} in a row; next try in {}s): {}", grant.id(),
				grant.target(), failures, wait.toSeconds(), problem);
		return (current != null) ? Outcome.of(current) : Outcome.failed(problem);
	}

	private void ensureClientCredentialsRow(Target target) {
		TargetAuth.OAuth2 oauth = (TargetAuth.OAuth2) target.auth();
		String server = (oauth.tokenUrl() != null) ? oauth.tokenUrl().toString() : target.endpoint().toString();
		store.ensureClientCredentialsRow(target.name(), server,
				(oauth.clientId() != null) ? oauth.clientId() : "(dynamic)", oauth.scopes());
	}

	private ActiveToken remember(Owner owner, Row row) {
		ActiveToken token = active(row);
		cache.put(owner, token);
		touch(token.grantId(), clock.instant());
		return token;
	}

	private ActiveToken active(Row row) {
		Grant grant = row.grant();
		return new ActiveToken(grant.id(), grant.version(), store.openAccessToken(row),
				Objects.requireNonNull(grant.accessExpiresAt()));
	}

	private static boolean fresh(Grant grant, Instant now, Duration horizon) {
		return grant.accessExpiresAt() != null && now.plus(horizon).isBefore(grant.accessExpiresAt());
	}

	private static boolean isClientCredentials(Target target) {
		return ((TargetAuth.OAuth2) target.auth()).grantType() == TargetAuth.GrantType.CLIENT_CREDENTIALS;
	}

	/** Records use at most once a minute per grant, off the request thread. */
	private void touch(String grantId, Instant now) {
		Instant last = touched.get(grantId);
		if (last != null && now.isBefore(last.plus(TOUCH_INTERVAL))) {
			return;
		}
		touched.put(grantId, now);
		background.execute(() -> {
			try {
				store.touch(grantId, now);
			}
			catch (RuntimeException ex) {
				logger.debug("Recording the use of grant {} failed: {}", grantId, ex.getMessage());
			}
		});
	}

	private void audit(String type, Grant grant, Map<String, ?> extra) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>();
		fields.put("grant", grant.id());
		fields.put("target", grant.target());
		fields.put("issuer", grant.issuer());
		fields.put("subject", grant.subject());
		fields.putAll(extra);
		audit.event(type, fields);
	}

	@PreDestroy
	void close() {
		background.shutdown();
	}

	/** What a locked refresh came to. */
	private static final class Outcome {

		final @Nullable ActiveToken token;

		final boolean reconsent;

		final boolean missing;

		final @Nullable String problem;

		private Outcome(@Nullable ActiveToken token, boolean reconsent, boolean missing, @Nullable String problem) {
			this.token = token;
			this.reconsent = reconsent;
			this.missing = missing;
			this.problem = problem;
		}

		static Outcome of(ActiveToken token) {
			return new Outcome(token, false, false, null);
		}

		static Outcome reconsent() {
			return new Outcome(null, true, false, null);
		}

		static Outcome missing() {
			return new Outcome(null, true, true, null);
		}

		static Outcome failed(String problem) {
			return new Outcome(null, false, false, problem);
		}
	}

	/** For tests and the admin page: how many owners have a cached token. */
	int cachedTokens() {
		return cache.size();
	}
}
