package dev.gatehouse.server.credentials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.credentials.GrantStore.Row;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Grants for people and admins: list them (never their tokens), and revoke them. Revoking deletes the row (so
 * every instance stops using it within the cluster poll interval) and then asks the authorization server to
 * revoke the refresh token (RFC 7009), or the access token when there is none, if the server has a revocation
 * endpoint. A server that cannot be reached does not bring the grant back: the row is gone either way.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7009">RFC 7009</a>
 */
@Component
public final class Grants {

	private static final Logger logger = LoggerFactory.getLogger(Grants.class);

	private final GrantStore store;

	private final UpstreamTokens tokens;

	private final TargetRegistry targets;

	private final AuthorizationDiscovery discovery;

	private final OAuthClients clients;

	private final TokenEndpoint tokenEndpoint;

	private final TransactionTemplate transactions;

	private final AuditTrail audit;

	Grants(GrantStore store, UpstreamTokens tokens, TargetRegistry targets, AuthorizationDiscovery discovery,
			OAuthClients clients, TokenEndpoint tokenEndpoint, TransactionTemplate transactions, AuditTrail audit) {
		this.store = store;
		this.tokens = tokens;
		this.targets = targets;
		this.discovery = discovery;
		this.clients = clients;
		this.tokenEndpoint = tokenEndpoint;
		this.transactions = transactions;
		this.audit = audit;
	}

	/**
	 * What a revocation did.
	 *
	 * @param grant the revoked grant
	 * @param authorizationServer {@code revoked}, {@code not_supported} (no revocation endpoint), or
	 * {@code failed} (the row is deleted anyway)
	 * @param detail why the server call failed, or {@code null}
	 */
	public record Revocation(Grant grant, String authorizationServer, @Nullable String detail) {
	}

	/** Grants matching every given filter, without tokens. */
	public List<Grant> list(@Nullable String target, @Nullable String issuer, @Nullable String subject) {
		return store.list(target, issuer, subject);
	}

	/** How many grants the vault holds, by status ({@code active}, {@code reconsent_required}, ...). */
	public java.util.Map<String, Long> countByStatus() {
		return store.countByStatus();
	}

	public Optional<Grant> find(String id) {
		return store.findById(id).map(Row::grant);
	}

	/**
	 * Revokes one grant.
	 * @param actor who asked, for the audit trail ({@code issuer|subject} of a person or admin)
	 * @return empty when there is no such grant
	 */
	public Optional<Revocation> revoke(String grantId, String actor) {
		Taken taken = transactions.execute((tx) -> take(grantId));
		if (taken == null) {
			return Optional.empty();
		}
		Grant grant = taken.grant;
		tokens.announceChange(grant.target(), grant.issuer(), grant.subject());
		Revocation revocation = revokeAtServer(grant, taken.token, taken.hint);
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("grant", grant.id());
		fields.put("target", grant.target());
		fields.put("issuer", grant.issuer());
		fields.put("subject", grant.subject());
		fields.put("by", actor);
		fields.put("authorization_server", revocation.authorizationServer());
		if (revocation.detail() != null) {
			fields.put("detail", revocation.detail());
		}
		audit.event("grant_revoked", fields);
		logger.info("Grant {} of '{}' for target '{}' revoked by {} (authorization server: {})", grant.id(),
				grant.subject(), grant.target(), actor, revocation.authorizationServer());
		return Optional.of(revocation);
	}

	/** Revokes every grant of a target. */
	public List<Revocation> revokeTarget(String target, String actor) {
		return revokeAll(store.list(target, null, null), actor);
	}

	/** Revokes every grant of a user. */
	public List<Revocation> revokeUser(@Nullable String issuer, String subject, String actor) {
		return revokeAll(store.list(null, issuer, subject), actor);
	}

	private List<Revocation> revokeAll(List<Grant> grants, String actor) {
		List<Revocation> done = new ArrayList<>();
		for (Grant grant : grants) {
			revoke(grant.id(), actor).ifPresent(done::add);
		}
		return done;
	}

	/** Deletes the row under its lock and keeps the token to revoke at the server. */
	private @Nullable Taken take(String grantId) {
		Optional<Row> row = store.lockById(grantId);
		if (row.isEmpty()) {
			return null;
		}
		Secret token = null;
		String hint = null;
		try {
			token = store.openRefreshToken(row.get());
			hint = "refresh_token";
			if (token == null && row.get().accessToken() != null) {
				token = store.openAccessToken(row.get());
				hint = "access_token";
			}
		}
		catch (CryptoException ex) {
			logger.warn("The tokens of grant {} do not open; deleting it without revoking at the server", grantId);
		}
		store.delete(grantId);
		return new Taken(row.get().grant(), token, hint);
	}

	private Revocation revokeAtServer(Grant grant, @Nullable Secret token, @Nullable String hint) {
		Optional<Target> target = targets.find(grant.target()).map(StoredTarget::target)
			.filter((t) -> t.auth() instanceof TargetAuth.OAuth2);
		if (token == null || target.isEmpty()) {
			return new Revocation(grant, "not_supported", (token == null) ? "no token was held" : "the target is gone");
		}
		try {
			TargetAuthorization auth = discovery.resolve(target.get());
			if (auth.revocationEndpoint() == null) {
				return new Revocation(grant, "not_supported", null);
			}
			tokenEndpoint.revoke(auth, clients.client(target.get(), auth), token, hint);
			return new Revocation(grant, "revoked", null);
		}
		catch (TokenEndpointException | TargetAuthorizationException | CredentialUnavailableException ex) {
			logger.warn("Revoking grant {} at the authorization server of '{}' failed: {}", grant.id(), grant.target(),
					ex.getMessage());
			return new Revocation(grant, "failed", ex.getMessage());
		}
	}

	private record Taken(Grant grant, @Nullable Secret token, @Nullable String hint) {
	}
}
