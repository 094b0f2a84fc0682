package dev.gatehouse.server.monitor.alerts;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.gatehouse.core.audit.AuditEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rule that fires when {@code threshold} matching records fall within a sliding {@code window}, per scope. With
 * a threshold above one, matches are counted in {@code alert_hit}, so that every instance sharing the database
 * counts the same window. Confined to the alerts thread.
 */
final class ThresholdRule {

	/** The record fields an alert may carry in its details: identifiers and codes, never a token or secret. */
	static final List<String> DETAIL_FIELDS = List.of("issuer", "subject", "client_id", "target", "tool",
			"upstream_tool", "decision", "rule", "reason", "outcome", "grant", "kind", "name", "change", "old_hash",
			"new_hash", "day", "problems", "first_seq", "failures", "problem", "scopes", "authorization_server");

	private final String name;

	private final Predicate<AuditEvent> matches;

	private final int threshold;

	private final Duration window;

	private final AlertsProperties.Scope scope;

	private final Severity severity;

	private final Title title;

	ThresholdRule(String name, Predicate<AuditEvent> matches, int threshold, Duration window,
			AlertsProperties.Scope scope, Severity severity, Title title) {
		this.name = name;
		this.matches = matches;
		this.threshold = threshold;
		this.window = window;
		this.scope = scope;
		this.severity = severity;
		this.title = title;
	}

	String name() {
		return name;
	}

	Duration window() {
		return window;
	}

	/** The alert this record causes, if it matches and the window holds enough matches. */
	Optional<Candidate> evaluate(AuditEvent event, JdbcClient jdbc) {
		if (!matches.test(event)) {
			return Optional.empty();
		}
		String key = scopeKey(scope, event);
		long count = 1;
		if (threshold > 1) {
			jdbc.sql("insert into alert_hit (rule, scope_key, at) values (?, ?, ?)")
				.params(name, key, Timestamp.from(event.at()))
				.update();
			count = jdbc.sql("select count(*) from alert_hit where rule = ? and scope_key = ? and at > ? and at <= ?")
				.params(name, key, Timestamp.from(event.at().minus(window)), Timestamp.from(event.at()))
				.query(Long.class)
				.single();
			if (count < threshold) {
				return Optional.empty();
			}
		}
		Map<String, Object> details = details(event);
		details.put("threshold", threshold);
		details.put("window", window.toString());
		details.put("events_in_window", count);
		return Optional.of(new Candidate(name, severity, key, title.of(event, count, human(window)), details,
				event.at()));
	}

	/** The scope key of a record: {@code global}, {@code user:{issuer}|{subject}} or {@code target:{name}}. */
	static String scopeKey(AlertsProperties.Scope scope, AuditEvent event) {
		return switch (scope) {
			case GLOBAL -> "global";
			case USER -> "user:" + orDash(event.issuer()) + "|" + orDash(event.subject());
			case TARGET -> "target:" + orDash(event.target());
		};
	}

	/** The record's type, time, sequence and its identifying fields. */
	static Map<String, Object> details(AuditEvent event) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("type", event.type());
		details.put("at", event.at().toString());
		if (event.sequence() > 0) {
			details.put("audit_sequence", event.sequence());
		}
		for (String field : DETAIL_FIELDS) {
			Object value = event.fields().get(field);
			if (value != null) {
				details.put(field, value);
			}
		}
		return details;
	}

	static String human(Duration d) {
		if (d.toSeconds() % 86400 == 0) {
			return d.toDays() + (d.toDays() == 1 ? " day" : " days");
		}
		if (d.toSeconds() % 3600 == 0) {
			return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
		}
		if (d.toSeconds() % 60 == 0) {
			return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
		}
		return d.toSeconds() + " seconds";
	}

	static String orDash(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : "-";
	}

	/** A rule's one-line title for a record that fired it. */
	@FunctionalInterface
	interface Title {

		String of(AuditEvent event, long count, String window);

	}
}
