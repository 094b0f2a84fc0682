package dev.gatehouse.server.credentials;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.core.crypto.Aad;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.credentials.vault.SealedRows;
import dev.gatehouse.server.credentials.vault.Vault;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Secrets other than tokens, sealed in {@code vault_secret} under (owner, kind) with AAD
 * {@code (secret-v1, owner, kind)}: client secrets of targets set through the admin API, the previous one during a
 * rotation, secrets of dynamic registrations, the gateway's client signing key.
 */
@Component
public final class VaultSecrets implements SealedRows {

	private static final Logger logger = LoggerFactory.getLogger(VaultSecrets.class);

	private final JdbcClient jdbc;

	private final Vault vault;

	private final Clock clock;

	private final TransactionTemplate transactions;

	VaultSecrets(JdbcClient jdbc, Vault vault, Clock clock, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.vault = vault;
		this.clock = clock;
		this.transactions = transactions;
	}

	/** Stores or replaces a secret. */
	public void put(String owner, String kind, Secret value, @Nullable Instant expiresAt) {
		Instant now = clock.instant();
		byte[] sealed = vault.seal(value, Aad.of("secret-v1", owner, kind));
		int updated = jdbc.sql("update vault_secret set key_id = ?, sealed = ?, expires_at = ?, updated_at = ? "
				+ "where owner = ? and kind = ?")
			.params(vault.activeKeyId(), sealed, ts(expiresAt), Timestamp.from(now), owner, kind)
			.update();
		if (updated == 0) {
			jdbc.sql("insert into vault_secret (owner, kind, key_id, sealed, expires_at, created_at, updated_at) "
					+ "values (?, ?, ?, ?, ?, ?, ?)")
				.params(owner, kind, vault.activeKeyId(), sealed, ts(expiresAt), Timestamp.from(now), Timestamp.from(now))
				.update();
		}
	}

	/** The secret, unless absent or expired. */
	public Optional<Secret> get(String owner, String kind) {
		Optional<Stored> stored = jdbc.sql("select sealed, expires_at from vault_secret where owner = ? and kind = ?")
			.params(owner, kind)
			.query((rs, n) -> new Stored(rs.getBytes(1), rs.getTimestamp(2)))
			.optional();
		if (stored.isEmpty()
				|| (stored.get().expiresAt != null && !clock.instant().isBefore(stored.get().expiresAt.toInstant()))) {
			return Optional.empty();
		}
		try {
			return Optional.of(vault.open(stored.get().sealed, Aad.of("secret-v1", owner, kind)));
		}
		catch (CryptoException ex) {
			logger.error("The vault secret '{}' of '{}' cannot be opened: {}", kind, owner, ex.getMessage());
			return Optional.empty();
		}
	}

	Optional<Instant> expiresAt(String owner, String kind) {
		return jdbc.sql("select expires_at from vault_secret where owner = ? and kind = ?")
			.params(owner, kind)
			.query((rs, n) -> (rs.getTimestamp(1) != null) ? rs.getTimestamp(1).toInstant() : null)
			.optional();
	}

	boolean exists(String owner, String kind) {
		return jdbc.sql("select count(*) from vault_secret where owner = ? and kind = ?")
			.params(owner, kind)
			.query(Long.class)
			.single() > 0;
	}

	void delete(String owner, String kind) {
		jdbc.sql("delete from vault_secret where owner = ? and kind = ?").params(owner, kind).update();
	}

	void deleteOwner(String owner) {
		jdbc.sql("delete from vault_secret where owner = ?").param(owner).update();
	}

	@Override
	public String table() {
		return "vault_secret";
	}

	@Override
	public long countNotSealedWith(int activeKeyId) {
		return jdbc.sql("select count(*) from vault_secret where key_id <> ?").param(activeKeyId).query(Long.class).single();
	}

	@Override
	public int resealBatch(int activeKeyId, int limit) {
		List<Key> keys = jdbc.sql("select owner, kind from vault_secret where key_id <> ? order by owner, kind limit ?")
			.params(activeKeyId, limit)
			.query((rs, n) -> new Key(rs.getString(1), rs.getString(2)))
			.list();
		for (Key key : keys) {
			transactions.executeWithoutResult((tx) -> reseal(key, activeKeyId));
		}
		return keys.size();
	}

	private void reseal(Key key, int activeKeyId) {
		Optional<Stored> stored = jdbc.sql("select sealed, expires_at from vault_secret where owner = ? and kind = ? "
				+ "for update")
			.params(key.owner, key.kind)
			.query((rs, n) -> new Stored(rs.getBytes(1), rs.getTimestamp(2)))
			.optional();
		if (stored.isEmpty()) {
			return;
		}
		byte[] aad = Aad.of("secret-v1", key.owner, key.kind);
		try {
			Secret value = vault.open(stored.get().sealed, aad);
			jdbc.sql("update vault_secret set key_id = ?, sealed = ? where owner = ? and kind = ?")
				.params(activeKeyId, vault.seal(value, aad), key.owner, key.kind)
				.update();
		}
		catch (CryptoException ex) {
			logger.error("Dropping the vault secret '{}' of '{}', which no key opens: {}", key.kind, key.owner,
					ex.getMessage());
			delete(key.owner, key.kind);
		}
	}

	private static @Nullable Timestamp ts(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private record Stored(byte[] sealed, @Nullable Timestamp expiresAt) {
	}

	private record Key(String owner, String kind) {
	}
}
