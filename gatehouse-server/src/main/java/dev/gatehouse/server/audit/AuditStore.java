package dev.gatehouse.server.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.gatehouse.core.audit.AuditChain;
import dev.gatehouse.core.audit.AuditEvent;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's table: appends batches to the hash chain under the chain head's row lock (so instances sharing
 * a database append in turn), and reads records back for search, export and verification.
 */
@Component
public final class AuditStore {

	/** Column sizes of the search columns; longer values are cut in the column, never in the hashed record. */
	private static final int ID_CHARS = 512;

	private static final int TARGET_CHARS = 64;

	private static final int TOOL_CHARS = 256;

	private static final int OUTCOME_CHARS = 32;

	private static final String HEAD = "last_seq, last_hash, last_day, checkpointed_through";

	private static final String COLUMNS = "seq, rec_day, at, type, issuer, subject, client_id, target, tool, outcome, "
			+ "record, prev_hash, hash";

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final TransactionTemplate transactions;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	AuditStore(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.template = template;
		this.transactions = transactions;
	}

	/**
	 * A stored record.
	 *
	 * @param seq its place in the chain
	 * @param day its UTC day
	 * @param at when it happened
	 * @param type what happened
	 * @param issuer the search column {@code issuer}
	 * @param subject the search column {@code subject}
	 * @param clientId the search column {@code client_id}
	 * @param target the search column {@code target}
	 * @param tool the search column {@code tool}
	 * @param outcome the search column {@code outcome}
	 * @param record the canonical JSON that is hashed
	 * @param previousHash the hash it is chained to
	 * @param hash its hash
	 */
	public record Stored(long seq, LocalDate day, Instant at, String type, @Nullable String issuer,
			@Nullable String subject, @Nullable String clientId, @Nullable String target, @Nullable String tool,
			@Nullable String outcome, String record, String previousHash, String hash) {

		public AuditChain.Link link() {
			return new AuditChain.Link(seq, record, previousHash, hash);
		}
	}

	/**
	 * Search criteria; {@code null} matches anything.
	 *
	 * @param type record type
	 * @param issuer caller or owner issuer
	 * @param subject caller or owner subject
	 * @param target target name
	 * @param tool exposed tool name
	 * @param outcome tool-call outcome
	 * @param from first instant, inclusive
	 * @param to last instant, exclusive
	 */
	public record Query(@Nullable String type, @Nullable String issuer, @Nullable String subject,
			@Nullable String target, @Nullable String tool, @Nullable String outcome, @Nullable Instant from,
			@Nullable Instant to) {
	}

	/**
	 * What the writer appends: a record for the chain (which may end a call under way), or the mark of a call that
	 * starts.
	 *
	 * @param event the record, or for a start the call's provisional record
	 * @param startsCall the id of the call this marks as under way (the event is then not chained), or {@code null}
	 * @param endsCall the id of the call this record ends (its mark is deleted), or {@code null}
	 * @param done completed once the transaction that holds this entry has committed, for a caller waiting on it
	 */
	record Entry(AuditEvent event, @Nullable String startsCall, @Nullable String endsCall,
			@Nullable CompletableFuture<Void> done) {

		static Entry event(AuditEvent event) {
			return new Entry(event, null, null, null);
		}

		static Entry start(AuditEvent provisional, String call) {
			return new Entry(provisional, call, null, null);
		}

		static Entry record(AuditEvent event, @Nullable String endsCall, CompletableFuture<Void> done) {
			return new Entry(event, null, endsCall, done);
		}

		/** This record without the call it ends: its mark was never written. */
		Entry endingNothing() {
			return new Entry(event, null, null, done);
		}

		void stored() {
			if (done != null) {
				done.complete(null);
			}
		}

		void failed(Throwable cause) {
			if (done != null) {
				done.completeExceptionally(cause);
			}
		}
	}

	/**
	 * Appends a batch in one transaction, in order: its records to the chain, its start marks to
	 * {@code audit_in_flight}, and deletes the marks of the calls its records end. A call that starts and ends in the
	 * same batch leaves no mark at all.
	 * @return the chained records with their sequence numbers
	 */
	List<AuditEvent> append(List<Entry> batch, String instance) {
		Set<String> ended = new HashSet<>();
		Set<String> started = new HashSet<>();
		for (Entry entry : batch) {
			if (entry.endsCall() != null) {
				ended.add(entry.endsCall());
			}
			if (entry.startsCall() != null) {
				started.add(entry.startsCall());
			}
		}
		return Objects.requireNonNull(transactions.execute((tx) -> {
			List<AuditEvent> events = new ArrayList<>(batch.size());
			List<Object[]> marks = new ArrayList<>();
			for (Entry entry : batch) {
				if (entry.startsCall() == null) {
					events.add(entry.event());
				}
				else if (!ended.contains(entry.startsCall())) {
					marks.add(new Object[] { entry.startsCall(), instance, Timestamp.from(entry.event().at()),
							entry.event().type(), JSON.writeValueAsString(entry.event().fields()) });
				}
			}
			List<AuditEvent> stored = appendLocked(lockHead(), events);
			if (!marks.isEmpty()) {
				template.batchUpdate("insert into audit_in_flight (call_id, instance, started_at, type, fields) "
						+ "values (?, ?, ?, ?, ?)", marks);
			}
			List<Object[]> finished = new ArrayList<>();
			for (String call : ended) {
				if (!started.contains(call)) {
					finished.add(new Object[] { call });
				}
			}
			if (!finished.isEmpty()) {
				template.batchUpdate("delete from audit_in_flight where call_id = ?", finished);
			}
			return stored;
		}));
	}

	/**
	 * Turns the marks of calls under way of instances that stopped into chained records (their provisional records,
	 * outcome {@code interrupted}), oldest first, and deletes the marks; at most {@code limit} in one transaction.
	 * Instances take the chain head's lock first, so two never recover the same mark.
	 * @param instance this instance, whose marks are never taken
	 * @param seenBefore instances last seen before this are taken to have stopped
	 * @param everyOther whether every other instance's marks are taken (an embedded database no other instance can
	 * have open)
	 * @return the recovered records with their sequence numbers
	 */
	List<AuditEvent> recoverInterrupted(String instance, Instant seenBefore, boolean everyOther, int limit) {
		return Objects.requireNonNull(transactions.execute((tx) -> {
			Head head = lockHead();
			List<Map<String, Object>> rows = jdbc.sql("select call_id, started_at, type, fields from audit_in_flight f "
					+ "where f.instance <> :me and (:all or not exists (select 1 from audit_writer w where w.instance = "
					+ "f.instance and w.seen_at >= :seen)) order by f.started_at limit :limit")
				.param("me", instance)
				.param("all", everyOther)
				.param("seen", Timestamp.from(seenBefore))
				.param("limit", limit)
				.query((rs, n) -> {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("call_id", rs.getString(1));
					row.put("started_at", rs.getTimestamp(2).toInstant());
					row.put("type", rs.getString(3));
					row.put("fields", rs.getString(4));
					return row;
				})
				.list();
			if (rows.isEmpty()) {
				return List.<AuditEvent>of();
			}
			List<AuditEvent> events = new ArrayList<>(rows.size());
			List<Object[]> ids = new ArrayList<>(rows.size());
			for (Map<String, Object> row : rows) {
				@SuppressWarnings("unchecked")
				Map<String, Object> fields = JSON.readValue((String) row.get("fields"), LinkedHashMap.class);
				events.add(new AuditEvent(0, (Instant) row.get("started_at"), (String) row.get("type"), fields));
				ids.add(new Object[] { row.get("call_id") });
			}
			List<AuditEvent> stored = appendLocked(head, events);
			template.batchUpdate("delete from audit_in_flight where call_id = ?", ids);
			return stored;
		}));
	}

	/** Records that {@code instance} is alive now. */
	void heartbeat(String instance, Instant now) {
		int updated = jdbc.sql("update audit_writer set seen_at = ? where instance = ?")
			.params(Timestamp.from(now), instance)
			.update();
		if (updated == 0) {
			// Only this instance writes its row, so the insert cannot race another.
			jdbc.sql("insert into audit_writer (instance, seen_at) values (?, ?)").params(instance, Timestamp.from(now))
				.update();
		}
	}

	/** Forgets instances not seen since {@code before} that have no call under way left. */
	void forgetInstancesSeenBefore(Instant before) {
		jdbc.sql("delete from audit_writer w where w.seen_at < ? and not exists (select 1 from audit_in_flight f "
				+ "where f.instance = w.instance)")
			.param(Timestamp.from(before))
			.update();
	}

	/** How many calls are marked as under way, by any instance. */
	long inFlight() {
		return jdbc.sql("select count(*) from audit_in_flight").query(Long.class).single();
	}

	/** Appends to the chain while the transaction holds the head's lock. */
	private List<AuditEvent> appendLocked(Head head, List<AuditEvent> events) {
		if (events.isEmpty()) {
			return List.of();
		}
		long seq = head.seq;
		String previous = head.hash;
		LocalDate lastDay = head.lastDay;
		List<AuditEvent> stored = new ArrayList<>(events.size());
		List<Object[]> rows = new ArrayList<>(events.size());
		for (AuditEvent event : events) {
			AuditEvent numbered = event.withSequence(++seq);
			String record = AuditChain.canonical(numbered);
			String hash = AuditChain.hash(previous, record);
			LocalDate day = day(numbered.at());
			if (lastDay != null && day.isBefore(lastDay)) {
				day = lastDay;
			}
			if (head.checkpointedThrough != null && !day.isAfter(head.checkpointedThrough)) {
				day = head.checkpointedThrough.plusDays(1);
			}
			lastDay = day;
			rows.add(new Object[] { numbered.sequence(), java.sql.Date.valueOf(day), Timestamp.from(numbered.at()),
					cut(numbered.type(), 64), cut(numbered.issuer(), ID_CHARS), cut(numbered.subject(), ID_CHARS),
					cut(numbered.text("client_id"), ID_CHARS), cut(numbered.target(), TARGET_CHARS),
					cut(numbered.tool(), TOOL_CHARS), cut(numbered.outcome(), OUTCOME_CHARS), record, previous, hash });
			stored.add(numbered);
			previous = hash;
		}
		template.batchUpdate("insert into audit_record (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				new RowSetter(rows));
		jdbc.sql("update audit_chain_head set last_seq = ?, last_hash = ?, last_day = ? where id = 1")
			.params(seq, previous, (lastDay != null) ? java.sql.Date.valueOf(lastDay) : null)
			.update();
		return stored;
	}

	/** The newest records first, matching {@code query}, with a sequence number below {@code before}. */
	public List<Stored> search(Query query, long before, int limit) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_record where seq < :before");
		java.util.Map<String, Object> params = filter(query, sql);
		sql.append(" order by seq desc limit :limit");
		return jdbc.sql(sql.toString())
			.params(params)
			.param("before", before)
			.param("limit", limit)
			.query(AuditStore::stored)
			.list();
	}

	/** Every record matching {@code query}, oldest first, streamed to {@code sink} without loading them all. */
	public void export(Query query, Consumer<Stored> sink) {
		long after = 0;
		while (true) {
			StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_record where seq > :after");
			java.util.Map<String, Object> params = filter(query, sql);
			sql.append(" order by seq limit 1000");
			List<Stored> page = jdbc.sql(sql.toString())
				.params(params)
				.param("after", after)
				.query(AuditStore::stored)
				.list();
			page.forEach(sink);
			if (page.size() < 1000) {
				return;
			}
			after = page.get(page.size() - 1).seq();
		}
	}

	/** The records with {@code from <= seq <= to}, oldest first, in pages. */
	void range(long from, long to, Consumer<Stored> sink) {
		long next = from;
		while (next <= to) {
			List<Stored> page = jdbc.sql("select " + COLUMNS + " from audit_record where seq >= ? and seq <= ? "
					+ "order by seq limit 1000")
				.params(next, to)
				.query(AuditStore::stored)
				.list();
			page.forEach(sink);
			if (page.size() < 1000) {
				return;
			}
			next = page.get(page.size() - 1).seq() + 1;
		}
	}

	Optional<Stored> bySeq(long seq) {
		return jdbc.sql("select " + COLUMNS + " from audit_record where seq = ?").param(seq).query(AuditStore::stored)
			.optional();
	}

	/** The chain head: the last sequence number and hash. */
	Head head() {
		return jdbc.sql("select " + HEAD + " from audit_chain_head where id = 1").query(AuditStore::headRow).single();
	}

	/** The chain head, locked until the current transaction ends. */
	Head lockHead() {
		return jdbc.sql("select " + HEAD + " from audit_chain_head where id = 1 for update")
			.query(AuditStore::headRow)
			.single();
	}

	void checkpointedThrough(LocalDate day) {
		jdbc.sql("update audit_chain_head set checkpointed_through = ? where id = 1")
			.param(java.sql.Date.valueOf(day))
			.update();
	}

	private static Head headRow(ResultSet rs, int n) throws SQLException {
		java.sql.Date last = rs.getDate(3);
		java.sql.Date through = rs.getDate(4);
		return new Head(rs.getLong(1), rs.getString(2), (last != null) ? last.toLocalDate() : null,
				(through != null) ? through.toLocalDate() : null);
	}

	/** The lowest stored sequence number, if any record is stored. */
	Optional<Long> firstSeq() {
		return jdbc.sql("select min(seq) from audit_record").query(Long.class).optional();
	}

	/**
	 * The first and last sequence number, count, and the hashes around each day before {@code today} that has
	 * records and no checkpoint yet.
	 */
	List<DaySpan> uncheckpointedDaysBefore(LocalDate today) {
		return jdbc.sql("select r.rec_day, min(r.seq), max(r.seq), count(*) from audit_record r where r.rec_day < ? and not "
				+ "exists (select 1 from audit_checkpoint c where c.cp_day = r.rec_day) group by r.rec_day order by r.rec_day")
			.param(java.sql.Date.valueOf(today))
			.query((rs, n) -> new DaySpan(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
			.list();
	}

	/** Deletes the records of days before {@code before} that have a checkpoint; returns how many. */
	int deleteCheckpointedBefore(LocalDate before, Instant now) {
		return Objects.requireNonNull(transactions.execute((tx) -> {
			List<LocalDate> days = jdbc.sql("select cp_day from audit_checkpoint where cp_day < ? and records_deleted_at is "
					+ "null order by cp_day")
				.param(java.sql.Date.valueOf(before))
				.query((rs, n) -> rs.getDate(1).toLocalDate())
				.list();
			int deleted = 0;
			for (LocalDate day : days) {
				deleted += jdbc.sql("delete from audit_record where rec_day = ?").param(java.sql.Date.valueOf(day)).update();
				jdbc.sql("update audit_checkpoint set records_deleted_at = ? where cp_day = ?")
					.params(Timestamp.from(now), java.sql.Date.valueOf(day))
					.update();
			}
			return deleted;
		}));
	}

	static LocalDate day(Instant at) {
		return at.atOffset(ZoneOffset.UTC).toLocalDate();
	}

	static @Nullable String cut(@Nullable String value, int max) {
		return (value == null || value.length() <= max) ? value : value.substring(0, max);
	}

	private static java.util.Map<String, Object> filter(Query q, StringBuilder sql) {
		java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
		add(sql, params, "type", q.type());
		add(sql, params, "issuer", q.issuer());
		add(sql, params, "subject", q.subject());
		add(sql, params, "target", q.target());
		add(sql, params, "tool", q.tool());
		add(sql, params, "outcome", q.outcome());
		if (q.from() != null) {
			sql.append(" and at >= :from");
			params.put("from", Timestamp.from(q.from()));
		}
		if (q.to() != null) {
			sql.append(" and at < :to");
			params.put("to", Timestamp.from(q.to()));
		}
		return params;
	}

	private static void add(StringBuilder sql, java.util.Map<String, Object> params, String column,
			@Nullable String value) {
		if (value != null) {
			sql.append(" and ").append(column).append(" = :").append(column);
			params.put(column, value);
		}
	}

	private static Stored stored(ResultSet rs, int n) throws SQLException {
		return new Stored(rs.getLong(1), rs.getDate(2).toLocalDate(), rs.getTimestamp(3).toInstant(), rs.getString(4),
				rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
				rs.getString(11), rs.getString(12), rs.getString(13));
	}

	/**
	 * Binds the audit rows with typed setters. The generic {@code batchUpdate(sql, List<Object[]>)} inspects every
	 * value's type (and asks the driver for the parameter type of each null) on every row; the columns' types are
	 * known here.
	 */
	private static final class RowSetter implements BatchPreparedStatementSetter {

		private final List<Object[]> rows;

		RowSetter(List<Object[]> rows) {
			this.rows = rows;
		}

		@Override
		public void setValues(PreparedStatement ps, int i) throws SQLException {
			Object[] row = rows.get(i);
			ps.setLong(1, (Long) row[0]);
			ps.setDate(2, (java.sql.Date) row[1]);
			ps.setTimestamp(3, (Timestamp) row[2]);
			for (int column = 4; column <= 13; column++) {
				String value = (String) row[column - 1];
				if (value == null) {
					ps.setNull(column, Types.VARCHAR);
				}
				else {
					ps.setString(column, value);
				}
			}
		}

		@Override
		public int getBatchSize() {
			return rows.size();
		}
	}

	/** The chain head. */
	record Head(long seq, String hash, @Nullable LocalDate lastDay, @Nullable LocalDate checkpointedThrough) {
	}

	/** A day's records. */
	record DaySpan(LocalDate day, long firstSeq, long lastSeq, long count) {
	}
}
