package dev.gatehouse.server.credentials;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.gatehouse.core.crypto.Aad;
import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.credentials.vault.SealedRows;
import dev.gatehouse.server.credentials.vault.Vault;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code upstream_grant} table. Token columns are sealed by the {@link Vault} with AAD
 * {@code (grant-v1, issuer, subject, target, kind)}, so a ciphertext copied to another user's row, another target
 * or the other column does not open. Methods that change tokens run inside the caller's transaction and take the
 * row lock first ({@link #lock}).
 */
@Component
final class GrantStore implements SealedRows {

	static final String COLUMNS = "id, target, owner_issuer, owner_subject, grant_type, status, status_reason, "
			+ "authorization_server, client_id, scopes, access_expires_at, refresh_token is not null, refresh_failures, "
			+ "created_at, last_used_at, last_refreshed_at, version, access_token, refresh_token, retry_refresh_after, "
			+ "expiry_assumed";

	private final JdbcClient jdbc;

	private final Vault vault;

	private final Clock clock;

	private final TransactionTemplate transactions;

	GrantStore(JdbcClient jdbc, Vault vault, Clock clock, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.vault = vault;
		this.clock = clock;
		this.transactions = transactions;
	}

	/** A grant row with its sealed tokens, opened on demand. */
	record Row(Grant grant, byte @Nullable [] accessToken, byte @Nullable [] refreshToken,
			@Nullable Instant retryRefreshAfter, boolean expiryAssumed) {
	}

	Optional<Row> find(String target, String issuer, String subject) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where target = ? and owner_issuer = ? and "
				+ "owner_subject = ?").params(target, issuer, subject).query(GrantStore::row).optional();
	}

	Optional<Row> findById(String id) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where id = ?").param(id).query(GrantStore::row)
			.optional();
	}

	/** Locks the grant's row until the transaction ends and reads it. Call inside a transaction. */
	Optional<Row> lock(String target, String issuer, String subject) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where target = ? and owner_issuer = ? and "
				+ "owner_subject = ? for update").params(target, issuer, subject).query(GrantStore::row).optional();
	}

	Optional<Row> lockById(String id) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where id = ? for update").param(id)
			.query(GrantStore::row)
			.optional();
	}

	List<Grant> list(@Nullable String target, @Nullable String issuer, @Nullable String subject) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from upstream_grant where 1 = 1");
		List<Object> params = new ArrayList<>();
		if (target != null) {
			sql.append(" and target = ?");
			params.add(target);
		}
		if (issuer != null) {
			sql.append(" and owner_issuer = ?");
			params.add(issuer);
		}
		if (subject != null) {
			sql.append(" and owner_subject = ?");
			params.add(subject);
		}
		sql.append(" order by target, owner_issuer, owner_subject");
		return jdbc.sql(sql.toString()).params(params).query(GrantStore::row).list().stream().map(Row::grant).toList();
	}

	/** How many grants there are by status, for the vault-size gauge: one aggregate query, no token column read. */
	java.util.Map<String, Long> countByStatus() {
		java.util.Map<String, Long> counts = new java.util.TreeMap<>();
		jdbc.sql("select status, count(*) from upstream_grant group by status")
			.query((rs, n) -> java.util.Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.forEach((row) -> counts.put(row.getKey(), row.getValue()));
		return counts;
	}

	/** The active user grants of a target, most recently used first. */
	List<Grant> activeForTarget(String target) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where target = ? and status = 'active' and "
				+ "grant_type = 'authorization_code' order by last_used_at desc, updated_at desc")
			.param(target)
			.query(GrantStore::row)
			.list()
			.stream()
			.map(Row::grant)
			.toList();
	}

	/** Grants whose access token expires before {@code before} and that were used since {@code usedSince}. */
	List<Grant> dueForRefresh(Instant before, Instant usedSince, Instant now) {
		return jdbc.sql("select " + COLUMNS + " from upstream_grant where status = 'active' and "
				+ "access_expires_at < ? and last_used_at >= ? and (retry_refresh_after is null or retry_refresh_after <= ?) "
				+ "and (refresh_token is not null or grant_type = 'client_credentials')")
			.params(ts(before), ts(usedSince), ts(now))
			.query(GrantStore::row)
			.list()
			.stream()
			.map(Row::grant)
			.toList();
	}

	/**
	 * Stores the tokens of a completed consent: a new row, or new tokens in the owner's existing row (a user who
	 * connects again). Call inside a transaction.
	 */
	Grant saveConsented(String target, String issuer, String subject, String authorizationServer, String clientId,
			TokenSet tokens) {
		Instant now = clock.instant();
		Optional<Row> existing = lock(target, issuer, subject);
		if (existing.isPresent()) {
			Grant old = existing.get().grant();
			writeTokens(old.id(), target, issuer, subject, tokens, old.version(), authorizationServer, clientId, now);
			return findById(old.id()).orElseThrow().grant();
		}
		String id = UUID.randomUUID().toString();
		jdbc.sql("insert into upstream_grant (id, target, owner_issuer, owner_subject, grant_type, status, "
				+ "authorization_server, client_id, scopes, key_id, access_token, refresh_token, access_expires_at, "
				+ "expiry_assumed, refresh_failures, created_at, updated_at, last_used_at, version) "
				+ "values (?, ?, ?, ?, 'authorization_code', 'active', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1)")
			.params(id, target, issuer, subject, authorizationServer, clientId, String.join(" ", tokens.scopes()),
					vault.activeKeyId(), seal(tokens.accessToken(), issuer, subject, target, "access_token"),
					sealOrNull(tokens.refreshToken(), issuer, subject, target), ts(tokens.expiresAt()),
					tokens.expiryAssumed(), ts(now), ts(now), ts(now))
			.update();
		return findById(id).orElseThrow().grant();
	}

	/** Inserts the row of a client-credentials grant if there is none yet, so that it can be locked. */
	void ensureClientCredentialsRow(String target, String authorizationServer, String clientId, List<String> scopes) {
		Instant now = clock.instant();
		jdbc.sql("insert into upstream_grant (id, target, owner_issuer, owner_subject, grant_type, status, "
				+ "authorization_server, client_id, scopes, key_id, expiry_assumed, refresh_failures, created_at, "
				+ "updated_at, version) values (?, ?, ?, ?, 'client_credentials', 'pending', ?, ?, ?, ?, false, 0, ?, ?, 0) "
				+ "on conflict do nothing")
			.params(UUID.randomUUID().toString(), target, Grant.CLIENT_CREDENTIALS_ISSUER, target, authorizationServer,
					clientId, String.join(" ", scopes), vault.activeKeyId(), ts(now), ts(now))
			.update();
	}

	/**
	 * Replaces the tokens after a refresh (or a new client-credentials token): the access token and the rotated
	 * refresh token in one update, so that a rotated refresh token is never lost. Call inside a transaction holding
	 * the row lock.
	 */
	void writeTokens(String id, String target, String issuer, String subject, TokenSet tokens, long version,
			String authorizationServer, String clientId, Instant now) {
		jdbc.sql("update upstream_grant set status = 'active', status_reason = null, authorization_server = ?, "
				+ "client_id = ?, scopes = ?, key_id = ?, access_token = ?, refresh_token = ?, access_expires_at = ?, "
				+ "expiry_assumed = ?, refresh_failures = 0, retry_refresh_after = null, updated_at = ?, "
				+ "last_refreshed_at = ?, version = ? where id = ?")
			.params(authorizationServer, clientId, String.join(" ", tokens.scopes()), vault.activeKeyId(),
					seal(tokens.accessToken(), issuer, subject, target, "access_token"),
					sealOrNull(tokens.refreshToken(), issuer, subject, target), ts(tokens.expiresAt()),
					tokens.expiryAssumed(), ts(now), ts(now), version + 1, id)
			.update();
	}

	/**
	 * Moves the assumed expiry of a token whose server gave no {@code expires_in} and no refresh token (the token is
	 * kept until the target refuses it). Call holding the row lock.
	 */
	void extendAssumedExpiry(String id, Instant expiresAt) {
		jdbc.sql("update upstream_grant set access_expires_at = ?, updated_at = ? where id = ? and expiry_assumed = ?")
			.params(ts(expiresAt), ts(clock.instant()), id, true)
			.update();
	}

	/** Records a transient refresh failure and when to try again. */
	void refreshFailed(String id, int failures, Instant retryAfter) {
		jdbc.sql("update upstream_grant set refresh_failures = ?, retry_refresh_after = ?, updated_at = ? where id = ?")
			.params(failures, ts(retryAfter), ts(clock.instant()), id)
			.update();
	}

	/** The grant can no longer be refreshed: its tokens are dropped and the user must consent again. */
	void requireReconsent(String id, String reason, long version) {
		jdbc.sql("update upstream_grant set status = 'reconsent_required', status_reason = ?, access_token = null, "
				+ "refresh_token = null, access_expires_at = null, updated_at = ?, version = ? where id = ?")
			.params(reason, ts(clock.instant()), version + 1, id)
			.update();
	}

	void touch(String id, Instant at) {
		jdbc.sql("update upstream_grant set last_used_at = ? where id = ?").params(ts(at), id).update();
	}

	boolean delete(String id) {
		return jdbc.sql("delete from upstream_grant where id = ?").param(id).update() > 0;
	}

	Secret openAccessToken(Row row) {
		Grant g = row.grant();
		return vault.open(java.util.Objects.requireNonNull(row.accessToken()),
				aad(g.issuer(), g.subject(), g.target(), "access_token"));
	}

	@Nullable Secret openRefreshToken(Row row) {
		Grant g = row.grant();
		return (row.refreshToken() == null) ? null
				: vault.open(row.refreshToken(), aad(g.issuer(), g.subject(), g.target(), "refresh_token"));
	}

	private byte[] seal(Secret value, String issuer, String subject, String target, String kind) {
		return vault.seal(value, aad(issuer, subject, target, kind));
	}

	private byte @Nullable [] sealOrNull(@Nullable Secret refresh, String issuer, String subject, String target) {
		return (refresh == null) ? null : seal(refresh, issuer, subject, target, "refresh_token");
	}

	static byte[] aad(String issuer, String subject, String target, String kind) {
		return Aad.of("grant-v1", issuer, subject, target, kind);
	}

	@Override
	public String table() {
		return "upstream_grant";
	}

	@Override
	public long countNotSealedWith(int activeKeyId) {
		return jdbc.sql("select count(*) from upstream_grant where key_id <> ? and "
				+ "(access_token is not null or refresh_token is not null)")
			.param(activeKeyId)
			.query(Long.class)
			.single();
	}

	@Override
	public int resealBatch(int activeKeyId, int limit) {
		List<String> ids = jdbc.sql("select id from upstream_grant where key_id <> ? and "
				+ "(access_token is not null or refresh_token is not null) order by id limit ?")
			.params(activeKeyId, limit)
			.query(String.class)
			.list();
		int done = 0;
		for (String id : ids) {
			Boolean resealed = transactions.execute((tx) -> reseal(id, activeKeyId));
			done += Boolean.TRUE.equals(resealed) ? 1 : 0;
		}
		return ids.isEmpty() ? 0 : Math.max(done, 1);
	}

	private boolean reseal(String id, int activeKeyId) {
		Optional<Row> locked = jdbc.sql("select " + COLUMNS + " from upstream_grant where id = ? for update")
			.param(id)
			.query(GrantStore::row)
			.optional();
		if (locked.isEmpty()) {
			return false;
		}
		Row row = locked.get();
		Grant g = row.grant();
		byte[] access;
		Secret refresh;
		try {
			access = (row.accessToken() != null) ? seal(openAccessToken(row), g.issuer(), g.subject(), g.target(),
					"access_token") : null;
			refresh = openRefreshToken(row);
		}
		catch (dev.gatehouse.core.crypto.CryptoException ex) {
			// Tokens that no key opens (tampered, or moved from another row) are useless: drop them, so the owner is
			// asked to connect again, rather than leaving a row no rotation can finish.
			requireReconsent(id, "the stored tokens could not be opened", g.version());
			return false;
		}
		jdbc.sql("update upstream_grant set key_id = ?, access_token = ?, refresh_token = ? where id = ?")
			.params(activeKeyId, access, sealOrNull(refresh, g.issuer(), g.subject(), g.target()), id)
			.update();
		return true;
	}

	private static Row row(ResultSet rs, int n) throws SQLException {
		Grant grant = new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), scopes(rs.getString(10)),
				instant(rs.getTimestamp(11)), rs.getBoolean(12), rs.getInt(13),
				java.util.Objects.requireNonNull(instant(rs.getTimestamp(14))), instant(rs.getTimestamp(15)),
				instant(rs.getTimestamp(16)), rs.getLong(17));
		return new Row(grant, rs.getBytes(18), rs.getBytes(19), instant(rs.getTimestamp(20)), rs.getBoolean(21));
	}

	private static List<String> scopes(@Nullable String text) {
		return (text == null || text.isBlank()) ? List.of() : Arrays.asList(text.trim().split(" +"));
	}

	private static @Nullable Instant instant(@Nullable Timestamp ts) {
		return (ts != null) ? ts.toInstant() : null;
	}

	static @Nullable Timestamp ts(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}
}
