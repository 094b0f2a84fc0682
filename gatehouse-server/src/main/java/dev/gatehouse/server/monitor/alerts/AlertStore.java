package dev.gatehouse.server.monitor.alerts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code alert} table: alerts deduplicated by rule and scope across every instance sharing the database, and
 * their acknowledgement, resolution and delivery. Thread-safe.
 */
@Component
public final class AlertStore {

	private static final String COLUMNS = "id, rule, severity, scope_key, title, details, first_seen, last_seen, "
			+ "occurrences, status, acknowledged_by, acknowledged_at, resolved_by, resolved_at";

	private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	AlertStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Opens an alert, or counts it again when one is open (or acknowledged) for the same rule and scope. The unique
	 * {@code open_key} makes this safe between instances: exactly one insert wins.
	 *
	 * @return the alert, and whether this call inserted it (then this instance delivers it)
	 */
	Fired fire(Candidate c) {
		for (int attempt = 0; attempt < 3; attempt++) {
			int inserted = jdbc.sql("insert into alert (rule, severity, scope_key, open_key, title, details, first_seen, "
					+ "last_seen, occurrences, status) values (?, ?, ?, ?, ?, ?, ?, ?, 1, 'open') on conflict do nothing")
				.params(c.rule(), c.severity().id(), c.scopeKey(), c.openKey(), cut(c.title(), 500), details(c),
						Timestamp.from(c.at()), Timestamp.from(c.at()))
				.update();
			if (inserted == 1) {
				return new Fired(byOpenKey(c.openKey()).orElseThrow(), true);
			}
			int updated = jdbc.sql("update alert set occurrences = occurrences + 1, last_seen = case when last_seen < ? "
					+ "then ? else last_seen end, title = ?, details = ? where open_key = ?")
				.params(Timestamp.from(c.at()), Timestamp.from(c.at()), cut(c.title(), 500), details(c), c.openKey())
				.update();
			if (updated == 1) {
				return new Fired(byOpenKey(c.openKey()).orElseThrow(), false);
			}
			// resolved between the two statements: insert again
		}
		throw new IllegalStateException("alert " + c.openKey() + " could not be stored");
	}

	/** The name of every built-in rule, which an alert's {@code rule} is one of. */
	public static List<String> rules() {
		return AlertRules.NAMES;
	}

	/** Alerts newest first, filtered by status, severity and rule (each optional). */
	public List<Alert> list(Alert.@Nullable Status status, @Nullable Severity severity, @Nullable String rule,
			int offset, int limit) {
		Map<String, Object> params = new LinkedHashMap<>();
		String where = where(status, severity, rule, params);
		params.put("limit", limit);
		params.put("offset", offset);
		List<Alert> alerts = jdbc.sql("select " + COLUMNS + " from alert" + where
				+ " order by id desc limit :limit offset :offset").params(params).query(this::alert).list();
		return alerts.stream().map(this::withDeliveries).toList();
	}

	/** How many alerts match the filters. */
	public long count(Alert.@Nullable Status status, @Nullable Severity severity, @Nullable String rule) {
		Map<String, Object> params = new LinkedHashMap<>();
		String where = where(status, severity, rule, params);
		return jdbc.sql("select count(*) from alert" + where).params(params).query(Long.class).single();
	}

	public Optional<Alert> find(long id) {
		return jdbc.sql("select " + COLUMNS + " from alert where id = ?").param(id).query(this::alert).optional()
			.map(this::withDeliveries);
	}

	/**
	 * Acknowledges an open alert: someone is on it. It stays deduplicated (further occurrences count on it) but is
	 * not delivered again.
	 * @return the alert, or empty when there is none with this id
	 * @throws AlertStateException when it is not open
	 */
	public Optional<Alert> acknowledge(long id, String by) {
		int changed = jdbc.sql("update alert set status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? "
				+ "where id = ? and status = 'open'").params(cut(by, 1100), Timestamp.from(clock.instant()), id).update();
		return transitioned(id, changed, "acknowledged", "only an open alert can be acknowledged");
	}

	/**
	 * Resolves an open or acknowledged alert. The next occurrence for the same rule and scope opens a new alert.
	 * @return the alert, or empty when there is none with this id
	 * @throws AlertStateException when it is already resolved
	 */
	public Optional<Alert> resolve(long id, String by) {
		int changed = jdbc.sql("update alert set status = 'resolved', open_key = null, resolved_by = ?, "
				+ "resolved_at = ? where id = ? and status in ('open', 'acknowledged')")
			.params(cut(by, 1100), Timestamp.from(clock.instant()), id)
			.update();
		return transitioned(id, changed, "resolved", "the alert is already resolved");
	}

	private Optional<Alert> transitioned(long id, int changed, String to, String refusal) {
		Optional<Alert> alert = find(id);
		if (changed == 0 && alert.isPresent()) {
			throw new AlertStateException(alert.get(), "alert " + id + " is " + alert.get().status().id() + ": "
					+ refusal);
		}
		return alert;
	}

	/** Records the state of an alert's delivery to one webhook. */
	void delivery(long alertId, String sink, String status, int attempts, @Nullable String error) {
		Timestamp now = Timestamp.from(clock.instant());
		String cutError = (error != null) ? cut(error, 500) : null;
		int updated = jdbc.sql("update alert_delivery set status = ?, attempts = ?, last_error = ?, updated_at = ? "
				+ "where alert_id = ? and sink = ?").params(status, attempts, cutError, now, alertId, sink).update();
		if (updated == 0) {
			jdbc.sql("insert into alert_delivery (alert_id, sink, status, attempts, last_error, updated_at) values "
					+ "(?, ?, ?, ?, ?, ?) on conflict do nothing")
				.params(alertId, sink, status, attempts, cutError, now)
				.update();
		}
	}

	private Optional<Alert> byOpenKey(String openKey) {
		return jdbc.sql("select " + COLUMNS + " from alert where open_key = ?").param(openKey).query(this::alert)
			.optional();
	}

	private Alert withDeliveries(Alert a) {
		List<Alert.Delivery> deliveries = jdbc.sql("select sink, status, attempts, last_error, updated_at from "
				+ "alert_delivery where alert_id = ? order by sink")
			.param(a.id())
			.query((rs, n) -> new Alert.Delivery(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
					rs.getTimestamp(5).toInstant()))
			.list();
		return new Alert(a.id(), a.rule(), a.severity(), a.scopeKey(), a.title(), a.details(), a.firstSeen(),
				a.lastSeen(), a.count(), a.status(), a.acknowledgedBy(), a.acknowledgedAt(), a.resolvedBy(),
				a.resolvedAt(), deliveries);
	}

	private static String where(Alert.@Nullable Status status, @Nullable Severity severity, @Nullable String rule,
			Map<String, Object> params) {
		List<String> conditions = new ArrayList<>();
		if (status != null) {
			conditions.add("status = :status");
			params.put("status", status.id());
		}
		if (severity != null) {
			conditions.add("severity = :severity");
			params.put("severity", severity.id());
		}
		if (rule != null) {
			conditions.add("rule = :rule");
			params.put("rule", rule);
		}
		return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
	}

	private Alert alert(ResultSet rs, int row) throws SQLException {
		return new Alert(rs.getLong(1), rs.getString(2), Severity.of(rs.getString(3)), rs.getString(4),
				rs.getString(5), json.readValue(rs.getString(6), MAP), rs.getTimestamp(7).toInstant(),
				rs.getTimestamp(8).toInstant(), rs.getLong(9), Alert.Status.of(rs.getString(10)), rs.getString(11),
				instant(rs.getTimestamp(12)), rs.getString(13), instant(rs.getTimestamp(14)), List.of());
	}

	private String details(Candidate c) {
		return json.writeValueAsString(c.details());
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static String cut(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max - 1) + "…";
	}

	/** The outcome of {@link #fire}: the alert as stored, and whether it is new. */
	record Fired(Alert alert, boolean inserted) {
	}
}
