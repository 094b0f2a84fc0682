package dev.gatehouse.server.credentials;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.oauth.RandomTokens;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Consent requests: when a call needs a user's authorization, a random, single-use, expiring request id is
 * created for (issuer, subject, target) and sent to the agent inside the link
 * {@code {public-url}/connect/{target}?request=…}. Only its SHA-256 is stored. The link carries no personal data,
 * is not pre-authenticated (the person must log in as the same user), and works once.
 */
@Component
final class ConsentRequests {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final AuditTrail audit;

	private final GatehouseProperties properties;

	ConsentRequests(JdbcClient jdbc, Clock clock, AuditTrail audit, GatehouseProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.audit = audit;
		this.properties = properties;
	}

	/**
	 * A stored consent request.
	 *
	 * @param idHash SHA-256 of the request id
	 * @param target the target
	 * @param issuer the user's issuer
	 * @param subject the user's subject
	 * @param elicitationId the id told to the agent
	 * @param sessionKey the MCP session to notify on completion, or {@code null}
	 * @param expiresAt when it stops working
	 * @param usedAt when it was used, or {@code null}
	 */
	record Request(String idHash, String target, String issuer, String subject, String elicitationId,
			@Nullable String sessionKey, Instant expiresAt, @Nullable Instant usedAt) {

		boolean ownedBy(Caller caller) {
			return issuer.equals(caller.issuer()) && subject.equals(caller.subject());
		}
	}

	/** Creates a request and returns the exception that carries its link to the agent. */
	ConsentRequiredException create(Caller caller, String target, @Nullable String sessionKey,
			ConsentRequiredException.Reason reason) {
		String id = RandomTokens.generate(32);
		String elicitationId = UUID.randomUUID().toString();
		Instant now = clock.instant();
		Instant expiresAt = now.plus(properties.oauth().consentTtl());
		jdbc.sql("insert into consent_request (id_hash, target, owner_issuer, owner_subject, elicitation_id, "
				+ "session_key, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)")
			.params(RandomTokens.sha256Hex(id), target, caller.issuer(), caller.subject(), elicitationId, sessionKey,
					Timestamp.from(now), Timestamp.from(expiresAt))
			.update();
		audit.event("consent_requested", Map.of("target", target, "issuer", caller.issuer(), "subject",
				caller.subject(), "elicitation_id", elicitationId, "reason", reason.name().toLowerCase(java.util.Locale.ROOT)));
		return new ConsentRequiredException(target, link(target, id), elicitationId, expiresAt, reason);
	}

	Optional<Request> find(String id) {
		return byHash(RandomTokens.sha256Hex(id));
	}

	Optional<Request> byHash(String idHash) {
		return jdbc.sql("select id_hash, target, owner_issuer, owner_subject, elicitation_id, session_key, expires_at, "
				+ "used_at from consent_request where id_hash = ?")
			.param(idHash)
			.query((rs, n) -> new Request(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(),
					(rs.getTimestamp(8) != null) ? rs.getTimestamp(8).toInstant() : null))
			.optional();
	}

	/** Marks a request used, once: false if it was already used or has expired meanwhile. */
	boolean use(Request request) {
		Instant now = clock.instant();
		return jdbc.sql("update consent_request set used_at = ? where id_hash = ? and used_at is null and expires_at > ?")
			.params(Timestamp.from(now), request.idHash(), Timestamp.from(now))
			.update() == 1;
	}

	private URI link(String target, String id) {
		String base = properties.publicUrl().toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/connect/" + target
				+ "?request=" + id);
	}

	@Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
	void purge() {
		Timestamp before = Timestamp.from(clock.instant().minus(java.time.Duration.ofDays(1)));
		jdbc.sql("delete from consent_request where expires_at < ?").param(before).update();
		jdbc.sql("delete from oauth_transaction where expires_at < ?").param(before).update();
	}
}
