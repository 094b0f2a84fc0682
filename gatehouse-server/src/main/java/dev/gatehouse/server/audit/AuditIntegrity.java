package dev.gatehouse.server.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.crypto.Ed25519;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.credentials.VaultSecrets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tamper evidence for the audit trail: signed daily checkpoints, and verification of the whole chain.
 *
 * <p>
 * A checkpoint is made for each finished UTC day that has records: after checking the day's part of the chain, the
 * gateway signs (day, first and last sequence number, count, last hash) with its Ed25519 key, held in the vault;
 * the public key is published with the checkpoints. From then on no record is filed under that day. Verification
 * walks every stored record in order, recomputes each hash, checks the links, the search columns against the
 * hashed record, each checkpoint's signature and figures, the link between consecutive checkpoints of days whose
 * records retention deleted, and the chain head (so deleting the newest records is found too).
 */
@Component
public final class AuditIntegrity {

	private static final Logger logger = LoggerFactory.getLogger(AuditIntegrity.class);

	private static final String KEY_OWNER = "audit";

	private static final String KEY_KIND = "checkpoint_signing_key";

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder B64D = Base64.getUrlDecoder();

	private static final Duration ONE_MICROSECOND = Duration.ofNanos(1000);

	private final AuditStore store;

	private final JdbcClient jdbc;

	private final VaultSecrets vault;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final AuditTrail trail;

	AuditIntegrity(AuditStore store, JdbcClient jdbc, VaultSecrets vault, TransactionTemplate transactions,
			Clock clock, AuditTrail trail) {
		this.store = store;
		this.jdbc = jdbc;
		this.vault = vault;
		this.transactions = transactions;
		this.clock = clock;
		this.trail = trail;
	}

	/**
	 * A daily checkpoint.
	 *
	 * @param day the UTC day
	 * @param firstSeq its first record
	 * @param lastSeq its last record
	 * @param records how many records
	 * @param previousHash the hash its first record is chained to
	 * @param lastHash its last record's hash
	 * @param signature Ed25519 over {@link AuditChain#checkpointPayload}, base64url
	 * @param publicKey the signing key, X.509 base64url
	 * @param createdAt when it was made
	 * @param recordsDeletedAt when retention deleted the day's records, or {@code null}
	 */
	public record Checkpoint(LocalDate day, long firstSeq, long lastSeq, long records, String previousHash,
			String lastHash, String signature, String publicKey, Instant createdAt, @Nullable Instant recordsDeletedAt) {

		boolean signatureValid() {
			return Ed25519.verify(B64D.decode(publicKey), AuditChain.checkpointPayload(day, firstSeq, lastSeq, records,
					lastHash), B64D.decode(signature));
		}
	}

	/**
	 * The outcome of a verification.
	 *
	 * @param ok whether nothing is wrong
	 * @param recordsChecked records read
	 * @param checkpointsChecked checkpoints read
	 * @param firstSeq the first stored record, or 0
	 * @param lastSeq the chain head's last record
	 * @param problems what is wrong, by record
	 * @param callsUnderWay calls marked as under way at a target and not yet recorded (by any instance); not a
	 * problem: those of an instance that stopped become {@code interrupted} records
	 */
	public record Verification(boolean ok, long recordsChecked, long checkpointsChecked, long firstSeq, long lastSeq,
			List<AuditChain.Problem> problems, long callsUnderWay) {
	}

	/** Every checkpoint, oldest first. */
	public List<Checkpoint> checkpoints() {
		return jdbc.sql("select cp_day, first_seq, last_seq, records, prev_hash, last_hash, signature, public_key, "
				+ "created_at, records_deleted_at from audit_checkpoint order by cp_day")
			.query((rs, n) -> new Checkpoint(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
					rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(),
					(rs.getTimestamp(10) != null) ? rs.getTimestamp(10).toInstant() : null))
			.list();
	}

	/** The public key (X.509 SubjectPublicKeyInfo, base64url) that signs checkpoints, if one exists yet. */
	public Optional<String> publicKey() {
		return vault.get(KEY_OWNER, KEY_KIND).map((s) -> s.reveal().substring(s.reveal().indexOf('.') + 1));
	}

	/**
	 * Makes the checkpoints of finished days (before today, UTC, by the gateway's clock) that have none, oldest
	 * first. A day whose records do not verify gets no checkpoint (and an {@code audit_chain_broken} record).
	 * @return the days checkpointed
	 */
	public List<LocalDate> checkpointFinishedDays() {
		LocalDate today = AuditStore.day(clock.instant());
		List<LocalDate> made = new ArrayList<>();
		for (AuditStore.DaySpan span : store.uncheckpointedDaysBefore(today)) {
			Boolean done = transactions.execute((tx) -> checkpoint(span));
			if (!Boolean.TRUE.equals(done)) {
				break;
			}
			made.add(span.day());
		}
		return made;
	}

	/** Runs inside a transaction holding the chain head's lock. */
	private boolean checkpoint(AuditStore.DaySpan span) {
		store.lockHead();
		boolean exists = jdbc.sql("select count(*) from audit_checkpoint where cp_day = ?")
			.param(java.sql.Date.valueOf(span.day()))
			.query(Long.class)
			.single() > 0;
		if (exists) {
			return true;
		}
		AuditChain.Verifier verifier = new AuditChain.Verifier(null);
		List<AuditStore.Stored> firstAndLast = new ArrayList<>(2);
		store.range(span.firstSeq(), span.lastSeq(), (stored) -> {
			verifier.accept(stored.link());
			if (firstAndLast.isEmpty()) {
				firstAndLast.add(stored);
			}
			else if (firstAndLast.size() == 1) {
				firstAndLast.add(stored);
			}
			else {
				firstAndLast.set(1, stored);
			}
			if (!span.day().equals(stored.day())) {
				verifier.problem(stored.seq(), "filed under " + stored.day() + " inside the records of " + span.day());
			}
		});
		if (!verifier.problems().isEmpty() || verifier.checked() != span.count()) {
			logger.error("The audit records of {} do not verify ({} problem(s)); no checkpoint was made. Run GET "
					+ "/admin/api/audit/verify for details.", span.day(), verifier.problems().size());
			trail.event("audit_chain_broken", Map.of("day", span.day().toString(), "problems",
					verifier.problems().size(), "found_by", "checkpoint"));
			return false;
		}
		AuditStore.Stored first = firstAndLast.get(0);
		AuditStore.Stored last = firstAndLast.get(firstAndLast.size() - 1);
		byte[][] key = signingKey();
		byte[] signature = Ed25519.sign(key[0], AuditChain.checkpointPayload(span.day(), first.seq(), last.seq(),
				span.count(), last.hash()));
		jdbc.sql("insert into audit_checkpoint (cp_day, first_seq, last_seq, records, prev_hash, last_hash, signature, "
				+ "public_key, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(java.sql.Date.valueOf(span.day()), first.seq(), last.seq(), span.count(), first.previousHash(),
					last.hash(), B64.encodeToString(signature), B64.encodeToString(key[1]),
					Timestamp.from(clock.instant()))
			.update();
		store.checkpointedThrough(span.day());
		logger.info("Audit checkpoint for {}: records {}..{} ({}), signed", span.day(), first.seq(), last.seq(),
				span.count());
		return true;
	}

	/** {@code [PKCS#8 private, X.509 public]}, created on first use. Call holding the chain head's lock. */
	private byte[][] signingKey() {
		Optional<Secret> stored = vault.get(KEY_OWNER, KEY_KIND);
		if (stored.isPresent()) {
			String text = stored.get().reveal();
			int dot = text.indexOf('.');
			return new byte[][] { B64D.decode(text.substring(0, dot)), B64D.decode(text.substring(dot + 1)) };
		}
		byte[][] pair = Ed25519.generate();
		vault.put(KEY_OWNER, KEY_KIND, Secret.of(B64.encodeToString(pair[0]) + "." + B64.encodeToString(pair[1])),
				null);
		logger.info("Created the audit checkpoint signing key (Ed25519; the private key is sealed in the vault)");
		return pair;
	}

	/**
	 * Verifies the whole stored chain. A failure is itself recorded ({@code audit_chain_broken}) and logged.
	 */
	public Verification verify() {
		List<Checkpoint> checkpoints = checkpoints();
		Map<LocalDate, Checkpoint> byDay = new LinkedHashMap<>();
		checkpoints.forEach((c) -> byDay.put(c.day(), c));
		AuditStore.Head head = store.head();
		long firstSeq = store.firstSeq().orElse(0L);
		String expected = null;
		AuditChain.Verifier verifier;
		List<AuditChain.Problem> early = new ArrayList<>();
		if (firstSeq == 1 || firstSeq == 0) {
			expected = AuditChain.GENESIS;
		}
		else {
			Checkpoint before = checkpoints.stream().filter((c) -> c.lastSeq() == firstSeq - 1).findFirst().orElse(null);
			if (before == null) {
				early.add(new AuditChain.Problem(firstSeq, "records 1 to " + (firstSeq - 1) + " are missing and no "
						+ "checkpoint covers them"));
			}
			else {
				expected = before.lastHash();
			}
		}
		verifier = new AuditChain.Verifier(expected);
		early.forEach((p) -> verifier.problem(p.seq(), p.problem()));
		// Checkpoints of days whose records were deleted: signed, and chained to each other.
		Checkpoint previousCheckpoint = null;
		String publicKey = publicKey().orElse(null);
		for (Checkpoint c : checkpoints) {
			if (publicKey != null && !publicKey.equals(c.publicKey())) {
				verifier.problem(c.firstSeq(), "the checkpoint of " + c.day() + " is signed by another key than the "
						+ "gateway's");
			}
			if (!c.signatureValid()) {
				verifier.problem(c.firstSeq(), "the checkpoint of " + c.day() + " has an invalid signature");
			}
			if (previousCheckpoint != null && !c.previousHash().equals(previousCheckpoint.lastHash())) {
				verifier.problem(c.firstSeq(), "the checkpoint of " + c.day() + " is not chained to the checkpoint of "
						+ previousCheckpoint.day());
			}
			previousCheckpoint = c;
		}
		DayTally tally = new DayTally();
		store.range(Math.max(firstSeq, 1), head.seq(), (stored) -> {
			JsonNode parsed = verifier.accept(stored.link());
			if (parsed != null) {
				checkColumns(stored, parsed, verifier);
			}
			tally.add(stored, byDay, verifier);
		});
		tally.finish(byDay, verifier);
		if (head.seq() > 0 && firstSeq > 0 && !Objects.equals(verifier.lastHash(), head.hash())) {
			verifier.problem(head.seq(), "the newest records were deleted or changed: the chain head names record "
					+ head.seq() + " with another hash");
		}
		if (head.seq() > 0 && firstSeq == 0 && checkpoints.stream().noneMatch((c) -> c.lastSeq() == head.seq())) {
			verifier.problem(head.seq(), "every record was deleted, and no checkpoint covers them");
		}
		List<AuditChain.Problem> problems = verifier.problems();
		Verification result = new Verification(problems.isEmpty(), verifier.checked(), checkpoints.size(), firstSeq,
				head.seq(), problems, store.inFlight());
		if (!result.ok()) {
			logger.error("The audit trail does not verify: {} problem(s), the first at record {}: {}", problems.size(),
					problems.get(0).seq(), problems.get(0).problem());
			trail.event("audit_chain_broken", Map.of("problems", problems.size(), "first_seq", problems.get(0).seq(),
					"found_by", "verify"));
		}
		return result;
	}

	/** The search columns must say what the hashed record says (else a search could be misled). */
	private static void checkColumns(AuditStore.Stored stored, JsonNode record, AuditChain.Verifier verifier) {
		check(stored, "type", stored.type(), record, 64, verifier);
		check(stored, "issuer", stored.issuer(), record, 512, verifier);
		check(stored, "subject", stored.subject(), record, 512, verifier);
		check(stored, "client_id", stored.clientId(), record, 512, verifier);
		check(stored, "target", stored.target(), record, 64, verifier);
		check(stored, "tool", stored.tool(), record, 256, verifier);
		check(stored, "outcome", stored.outcome(), record, 32, verifier);
		if (!sameMicrosecond(stored.at(), parseInstant(record.path("at").asString("")))) {
			verifier.problem(stored.seq(), "its time column differs from the hashed record");
		}
	}

	/**
	 * Whether the time column holds the hashed time at the precision the databases keep. Records are hashed at
	 * microsecond precision; records written before that kept the clock's nanoseconds in the hashed text, which the
	 * database rounded (PostgreSQL) or truncated (H2) to the microsecond, so a difference below one microsecond is
	 * the column's precision, not an edit.
	 */
	static boolean sameMicrosecond(Instant column, @Nullable Instant hashed) {
		return hashed != null && Duration.between(hashed, column).abs().compareTo(ONE_MICROSECOND) < 0;
	}

	private static void check(AuditStore.Stored stored, String field, @Nullable String column, JsonNode record,
			int max, AuditChain.Verifier verifier) {
		JsonNode value = record.get(field);
		String expected = (value == null || value.isNull()) ? null : AuditStore.cut(value.asString(), max);
		if (!Objects.equals(expected, column)) {
			verifier.problem(stored.seq(), "its " + field + " column differs from the hashed record");
		}
	}

	private static @Nullable Instant parseInstant(String text) {
		try {
			return Instant.parse(text);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Compares each day's stored records with its checkpoint, while the records stream by. */
	private static final class DayTally {

		private @Nullable LocalDate day;

		private long first;

		private long last;

		private long count;

		private String previousHash = "";

		private String lastHash = "";

		void add(AuditStore.Stored stored, Map<LocalDate, Checkpoint> byDay, AuditChain.Verifier verifier) {
			if (!stored.day().equals(day)) {
				finish(byDay, verifier);
				day = stored.day();
				first = stored.seq();
				count = 0;
				previousHash = stored.previousHash();
			}
			last = stored.seq();
			lastHash = stored.hash();
			count++;
		}

		void finish(Map<LocalDate, Checkpoint> byDay, AuditChain.Verifier verifier) {
			if (day == null) {
				return;
			}
			Checkpoint c = byDay.get(day);
			if (c != null && (c.firstSeq() != first || c.lastSeq() != last || c.records() != count
					|| !c.previousHash().equals(previousHash) || !c.lastHash().equals(lastHash))) {
				verifier.problem(first, "the records of " + day + " differ from its signed checkpoint (records "
						+ c.firstSeq() + ".." + c.lastSeq() + ", " + c.records() + " signed; " + first + ".." + last
						+ ", " + count + " stored)");
			}
			day = null;
		}
	}
}
