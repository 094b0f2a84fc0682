package dev.gatehouse.server.credentials.vault;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.config.GatehouseProperties;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Online rotation of the vault's data key ({@code POST /admin/api/vault/rotate-key}): a new data key becomes the
 * one that seals, then every sealed row is re-sealed under it in the background, in small transactions, while
 * the gateway serves traffic. Rows written meanwhile by an instance that has not yet seen the new key are caught
 * by the same sweep, which also runs every 30 seconds on every instance, so a rotation interrupted by a restart
 * finishes by itself. Old data keys stay able to open until nothing uses them.
 */
@Component
public final class KeyRotation {

	private static final Logger logger = LoggerFactory.getLogger(KeyRotation.class);

	private final Vault vault;

	private final ObjectProvider<SealedRows> tables;

	private final JdbcClient jdbc;

	private final AuditTrail audit;

	private final Clock clock;

	private final int batchSize;

	private final AtomicBoolean running = new AtomicBoolean();

	private final ExecutorService worker = Executors.newSingleThreadExecutor((r) -> {
		Thread thread = new Thread(r, "gatehouse-vault-rotation");
		thread.setDaemon(true);
		return thread;
	});

	KeyRotation(Vault vault, ObjectProvider<SealedRows> tables, JdbcClient jdbc, AuditTrail audit, Clock clock,
			GatehouseProperties properties) {
		this.vault = Objects.requireNonNull(vault, "vault must not be null");
		this.tables = tables;
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
		this.batchSize = properties.vault().rotationBatchSize();
	}

	/**
	 * A rotation as the admin API shows it.
	 *
	 * @param id the rotation's number
	 * @param keyId the data key it rotates to
	 * @param status {@code running}, {@code done} or {@code failed}
	 * @param rowsTotal rows to re-seal when it started
	 * @param rowsDone rows re-sealed so far
	 * @param rowsRemaining rows still sealed with another key, counted now
	 * @param startedAt when it started
	 * @param finishedAt when it finished, or {@code null}
	 * @param startedBy who started it
	 * @param message why it failed, or {@code null}
	 */
	public record Status(long id, int keyId, String status, long rowsTotal, long rowsDone, long rowsRemaining,
			Instant startedAt, @Nullable Instant finishedAt, String startedBy, @Nullable String message) {
	}

	/**
	 * Starts a rotation: a new active data key now, the re-sealing in the background.
	 * @throws RotationInProgressException if one is already running on this instance
	 */
	public Status start(String startedBy) {
		if (!running.compareAndSet(false, true)) {
			throw new RotationInProgressException();
		}
		try {
			int keyId = vault.createActiveKey();
			long total = remaining(keyId);
			Instant now = clock.instant();
			jdbc.sql("insert into vault_rotation (to_key_id, status, rows_total, rows_done, started_at, started_by) "
					+ "values (?, 'running', ?, 0, ?, ?)")
				.params(keyId, total, Timestamp.from(now), startedBy)
				.update();
			long id = jdbc.sql("select max(id) from vault_rotation").query(Long.class).single();
			audit.event("vault_key_rotation_started", Map.of("key_id", keyId, "rows", total, "by", startedBy));
			logger.info("Vault data key rotation {} started by {}: {} rows to re-seal under key {}", id, startedBy,
					total, keyId);
			worker.execute(() -> run(id, keyId));
			return status(id).orElseThrow();
		}
		catch (RuntimeException ex) {
			running.set(false);
			throw ex;
		}
	}

	/** The latest rotation, if any. */
	public Optional<Status> latest() {
		return jdbc.sql("select max(id) from vault_rotation").query(Long.class).optional().flatMap(this::status);
	}

	public Optional<Status> status(long id) {
		return jdbc.sql("select id, to_key_id, status, rows_total, rows_done, started_at, finished_at, started_by, "
				+ "message from vault_rotation where id = ?")
			.param(id)
			.query((rs, n) -> new Status(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
					remaining(rs.getInt(2)), rs.getTimestamp(6).toInstant(),
					(rs.getTimestamp(7) != null) ? rs.getTimestamp(7).toInstant() : null, rs.getString(8),
					rs.getString(9)))
			.optional();
	}

	/** Rows sealed with any key other than {@code keyId}. */
	long remaining(int keyId) {
		long total = 0;
		for (SealedRows table : tables) {
			total += table.countNotSealedWith(keyId);
		}
		return total;
	}

	private void run(long id, int keyId) {
		try {
			long done = reseal(keyId, id);
			jdbc.sql("update vault_rotation set status = 'done', rows_done = ?, finished_at = ? where id = ?")
				.params(done, Timestamp.from(clock.instant()), id)
				.update();
			audit.event("vault_key_rotation_finished", Map.of("key_id", keyId, "rows", done));
			logger.info("Vault data key rotation {} finished: {} rows re-sealed under key {}", id, done, keyId);
		}
		catch (RuntimeException ex) {
			logger.error("Vault data key rotation {} failed; the sweep will retry: {}", id, ex.getMessage());
			jdbc.sql("update vault_rotation set status = 'failed', finished_at = ?, message = ? where id = ?")
				.params(Timestamp.from(clock.instant()), truncate(String.valueOf(ex.getMessage())), id)
				.update();
		}
		finally {
			running.set(false);
		}
	}

	private long reseal(int keyId, long rotationId) {
		long done = 0;
		for (SealedRows table : tables) {
			int n;
			while ((n = table.resealBatch(keyId, batchSize)) > 0) {
				done += n;
				if (rotationId > 0) {
					jdbc.sql("update vault_rotation set rows_done = ? where id = ?").params(done, rotationId).update();
				}
			}
		}
		return done;
	}

	/** Re-seals rows left under an old key: by a rotation interrupted by a restart, or written during one. */
	@Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
	void sweep() {
		if (!running.compareAndSet(false, true)) {
			return;
		}
		try {
			vault.load();
			int keyId = vault.activeKeyId();
			long done = reseal(keyId, 0);
			if (done > 0) {
				logger.info("Re-sealed {} vault rows left under an old data key", done);
			}
			jdbc.sql("update vault_rotation set status = 'done', finished_at = ? where status <> 'done' and to_key_id = ?")
				.params(Timestamp.from(clock.instant()), keyId)
				.update();
		}
		catch (RuntimeException ex) {
			logger.warn("The vault re-sealing sweep failed: {}", ex.getMessage());
		}
		finally {
			running.set(false);
		}
	}

	private static String truncate(String text) {
		return (text.length() > 1000) ? text.substring(0, 1000) : text;
	}

	@PreDestroy
	void close() {
		worker.shutdownNow();
	}

	/** A rotation is already running on this instance. */
	public static final class RotationInProgressException extends RuntimeException {

		RotationInProgressException() {
			super("a vault key rotation is already running; GET /admin/api/vault shows its progress", null, false,
					false);
		}
	}

	static List<String> tableNames(ObjectProvider<SealedRows> tables) {
		return tables.stream().map(SealedRows::table).toList();
	}
}
