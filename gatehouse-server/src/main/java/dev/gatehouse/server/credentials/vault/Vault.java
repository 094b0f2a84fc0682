package dev.gatehouse.server.credentials.vault;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.crypto.Aad;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.cluster.ClusterEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seals and opens the vault's secrets. Rows are sealed with a data key; data keys live in {@code vault_key},
 * each wrapped by the master key ({@code GATEHOUSE_MASTER_KEY}) with AAD naming its id, so every instance sharing
 * the database shares them and a key rotation needs no restart. The active data key seals; every known key opens.
 * <p>
 * At start-up the vault creates the first data key if there is none, and re-wraps data keys that were wrapped by
 * a previous master key (during a master key change, see {@code gatehouse.vault.previous-master-key-file}).
 * Thread-safe.
 */
@Component
public final class Vault implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(Vault.class);

	static final String KEYS_CHANGED = "vault.keys";

	private static final String ACTIVE = "active";

	private final JdbcClient jdbc;

	private final KeyRing masterKeys;

	private final Envelope master;

	private final ClusterEvents cluster;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private volatile Envelope data;

	Vault(JdbcClient jdbc, KeyRing masterKeys, ClusterEvents cluster, TransactionTemplate transactions, Clock clock) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc must not be null");
		this.masterKeys = Objects.requireNonNull(masterKeys, "masterKeys must not be null");
		this.master = new Envelope(masterKeys);
		this.cluster = Objects.requireNonNull(cluster, "cluster must not be null");
		this.transactions = Objects.requireNonNull(transactions, "transactions must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	@Override
	public void afterPropertiesSet() {
		if (activeIds().isEmpty()) {
			createKey(1);
		}
		rewrapUnderCurrentMasterKey();
		load();
		cluster.subscribe(KEYS_CHANGED, (payload) -> load());
	}

	/** Seals {@code value} with the active data key, bound to {@code aad} (see {@link Aad}). */
	public byte[] seal(Secret value, byte[] aad) {
		return data.seal(value.revealBytes(), aad);
	}

	/**
	 * Opens what {@link #seal} sealed for the same {@code aad}.
	 * @throws CryptoException if it was sealed for another owner, tampered with, or with an unknown key
	 */
	public Secret open(byte[] sealed, byte[] aad) {
		return Secret.of(new String(data.open(sealed, aad), java.nio.charset.StandardCharsets.UTF_8));
	}

	/** The id of the data key that seals now. */
	public int activeKeyId() {
		return data.keys().currentId();
	}

	/** The id of the data key a sealed value was sealed with. */
	public static int keyIdOf(byte[] sealed) {
		return Envelope.keyId(sealed);
	}

	/**
	 * Creates a new data key and makes it the one that seals; the old ones keep opening. Called by
	 * {@link KeyRotation}, which then re-seals every row.
	 * @return the new key's id
	 */
	int createActiveKey() {
		int id = Objects.requireNonNull(transactions.execute((tx) -> {
			int next = jdbc.sql("select coalesce(max(id), 0) + 1 from vault_key").query(Integer.class).single();
			jdbc.sql("update vault_key set status = 'retired', retired_at = ? where status = ?")
				.params(Timestamp.from(clock.instant()), ACTIVE)
				.update();
			insertKey(next);
			return next;
		}));
		load();
		cluster.publish(KEYS_CHANGED, JsonNodeFactory.instance.objectNode().put("active", id));
		return id;
	}

	/** Re-reads the data keys (another instance may have rotated). */
	void load() {
		List<StoredKey> keys = jdbc.sql("select id, wrapped, status from vault_key order by id")
			.query((rs, n) -> new StoredKey(rs.getInt(1), rs.getBytes(2), rs.getString(3)))
			.list();
		KeyRing ring = null;
		int active = keys.stream().filter((k) -> ACTIVE.equals(k.status)).mapToInt((k) -> k.id).max().orElseThrow();
		for (StoredKey key : keys) {
			if (key.id != active) {
				byte[] bytes = unwrap(key);
				ring = (ring == null) ? KeyRing.of(key.id, bytes) : ring.withCurrent(key.id, bytes);
			}
		}
		StoredKey current = keys.stream().filter((k) -> k.id == active).findFirst().orElseThrow();
		ring = (ring == null) ? KeyRing.of(active, unwrap(current)) : ring.withCurrent(active, unwrap(current));
		data = new Envelope(ring, random);
	}

	private byte[] unwrap(StoredKey key) {
		try {
			return master.open(key.wrapped, Aad.of("vault-key-v1", Integer.toString(key.id)));
		}
		catch (CryptoException ex) {
			throw new IllegalStateException("Vault data key " + key.id + " cannot be opened with the configured master "
					+ "key: " + ex.getMessage() + ". Start with the master key the vault was created with (and the new "
					+ "one as GATEHOUSE_MASTER_KEY with the old one as GATEHOUSE_PREVIOUS_MASTER_KEY to change it).");
		}
	}

	private List<Integer> activeIds() {
		return jdbc.sql("select id from vault_key where status = ?").param(ACTIVE).query(Integer.class).list();
	}

	private void createKey(int id) {
		try {
			transactions.executeWithoutResult((tx) -> insertKey(id));
			logger.info("Created vault data key {}", id);
		}
		catch (DuplicateKeyException ex) {
			// Another instance created it at the same moment: use theirs.
		}
	}

	private void insertKey(int id) {
		byte[] key = new byte[32];
		random.nextBytes(key);
		byte[] wrapped = master.seal(key, Aad.of("vault-key-v1", Integer.toString(id)));
		java.util.Arrays.fill(key, (byte) 0);
		jdbc.sql("insert into vault_key (id, wrapped, master_key_id, status, created_at) values (?, ?, ?, ?, ?)")
			.params(id, wrapped, masterKeys.currentId(), ACTIVE, Timestamp.from(clock.instant()))
			.update();
	}

	/** Re-wraps data keys wrapped by a previous master key, so that the previous key can be dropped. */
	private void rewrapUnderCurrentMasterKey() {
		List<StoredKey> stale = jdbc.sql("select id, wrapped, status from vault_key where master_key_id <> ?")
			.param(masterKeys.currentId())
			.query((rs, n) -> new StoredKey(rs.getInt(1), rs.getBytes(2), rs.getString(3)))
			.list();
		for (StoredKey key : stale) {
			byte[] bytes = unwrap(key);
			byte[] wrapped = master.seal(bytes, Aad.of("vault-key-v1", Integer.toString(key.id)));
			java.util.Arrays.fill(bytes, (byte) 0);
			jdbc.sql("update vault_key set wrapped = ?, master_key_id = ? where id = ?")
				.params(wrapped, masterKeys.currentId(), key.id)
				.update();
			logger.info("Re-wrapped vault data key {} under the current master key", key.id);
		}
	}

	private record StoredKey(int id, byte[] wrapped, String status) {
	}
}
