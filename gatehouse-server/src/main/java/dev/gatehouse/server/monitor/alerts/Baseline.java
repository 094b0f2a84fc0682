package dev.gatehouse.server.monitor.alerts;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each user's baseline in the database, shared by instances and kept across restarts: the targets, tools and
 * client ids they used within the baseline period ({@code alert_baseline}), when they were first seen, and their
 * calls per hour ({@code alert_call_rate}).
 * <p>
 * Writes are kept off the database where they would change nothing: an item seen in the last hour is known from
 * memory, and hourly counts are added up in memory and flushed. Confined to the alerts thread (not thread-safe).
 */
final class Baseline {

	static final String USER = "user";

	private static final Duration REFRESH = Duration.ofHours(1);

	private static final int CACHE_SIZE = 100_000;

	private final JdbcClient jdbc;

	private final Duration period;

	/** (issuer, subject, kind, item) → the last_seen this instance last wrote, or read. */
	private final Map<List<String>, Instant> seen = new LinkedHashMap<>(1024, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<List<String>, Instant> eldest) {
			return size() > CACHE_SIZE;
		}
	};

	/** (issuer, subject) → when the user's current baseline began. */
	private final Map<List<String>, Instant> since = new HashMap<>();

	/** (issuer, subject, hour) → calls not yet added to the database. */
	private final Map<UserHour, Long> pending = new HashMap<>();

	Baseline(JdbcClient jdbc, Duration period) {
		this.jdbc = jdbc;
		this.period = period;
	}

	/**
	 * Records that the user used {@code item} at {@code at}.
	 * @return whether it was absent from the user's baseline (never used, or not within the period)
	 */
	boolean observe(String issuer, String subject, String kind, String item, Instant at) {
		List<String> key = List.of(issuer, subject, kind, item);
		Instant cached = seen.get(key);
		if (cached != null && !at.isAfter(cached.plus(REFRESH))) {
			return false;
		}
		int inserted = jdbc.sql("insert into alert_baseline (issuer, subject, kind, item, first_seen, last_seen) "
				+ "values (?, ?, ?, ?, ?, ?) on conflict do nothing")
			.params(issuer, subject, kind, item, Timestamp.from(at), Timestamp.from(at))
			.update();
		if (inserted == 1) {
			seen.put(key, at);
			return true;
		}
		Instant last = jdbc.sql("select last_seen from alert_baseline where issuer = ? and subject = ? and kind = ? "
				+ "and item = ?").params(issuer, subject, kind, item).query(Timestamp.class).single().toInstant();
		boolean lapsed = last.isBefore(at.minus(period));
		if (lapsed) {
			jdbc.sql("update alert_baseline set first_seen = ?, last_seen = ? where issuer = ? and subject = ? and "
					+ "kind = ? and item = ?").params(Timestamp.from(at), Timestamp.from(at), issuer, subject, kind, item)
				.update();
		}
		else if (last.isBefore(at)) {
			jdbc.sql("update alert_baseline set last_seen = ? where issuer = ? and subject = ? and kind = ? and item = ? "
					+ "and last_seen < ?").params(Timestamp.from(at), issuer, subject, kind, item, Timestamp.from(at))
				.update();
		}
		seen.put(key, last.isAfter(at) ? last : at);
		return lapsed;
	}

	/**
	 * When the user's baseline began: their first call, or their first call after a pause longer than the period
	 * (a returning user's old habits no longer count). Records the call.
	 */
	Instant userSince(String issuer, String subject, Instant at) {
		List<String> key = List.of(issuer, subject);
		boolean fresh = observe(issuer, subject, USER, "", at);
		Instant known = since.get(key);
		if (known != null && !fresh) {
			return known;
		}
		Instant first = jdbc.sql("select first_seen from alert_baseline where issuer = ? and subject = ? and kind = ? "
				+ "and item = ''").params(issuer, subject, USER).query(Timestamp.class).single().toInstant();
		if (since.size() > CACHE_SIZE) {
			since.clear();
		}
		since.put(key, first);
		return first;
	}

	/** Counts one call of the user in the hour of {@code at} (added to the database by {@link #flush}). */
	void countCall(String issuer, String subject, Instant at) {
		pending.merge(new UserHour(issuer, subject, at.truncatedTo(ChronoUnit.HOURS)), 1L, Long::sum);
	}

	/** Adds the pending counts to the database; returns the user-hours that changed. */
	List<UserHour> flush() {
		List<UserHour> flushed = List.copyOf(pending.keySet());
		for (UserHour h : flushed) {
			long calls = pending.get(h);
			int updated = jdbc.sql("update alert_call_rate set calls = calls + ? where issuer = ? and subject = ? and "
					+ "hour_start = ?").params(calls, h.issuer(), h.subject(), Timestamp.from(h.hour())).update();
			if (updated == 0) {
				int inserted = jdbc.sql("insert into alert_call_rate (issuer, subject, hour_start, calls) values "
						+ "(?, ?, ?, ?) on conflict do nothing")
					.params(h.issuer(), h.subject(), Timestamp.from(h.hour()), calls)
					.update();
				if (inserted == 0) {
					jdbc.sql("update alert_call_rate set calls = calls + ? where issuer = ? and subject = ? and "
							+ "hour_start = ?").params(calls, h.issuer(), h.subject(), Timestamp.from(h.hour())).update();
				}
			}
		}
		pending.clear();
		return flushed;
	}

	/** The user's calls in that hour, from every instance (after {@link #flush}). */
	long calls(UserHour h) {
		return jdbc.sql("select calls from alert_call_rate where issuer = ? and subject = ? and hour_start = ?")
			.params(h.issuer(), h.subject(), Timestamp.from(h.hour()))
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	/**
	 * The user's average calls per active hour (an hour with at least one call) in the period before {@code hour},
	 * or {@code null} when they made none.
	 */
	@Nullable Double hourlyAverage(UserHour h) {
		Double average = jdbc.sql("select sum(calls), count(*) from alert_call_rate where issuer = ? and subject = ? and "
				+ "hour_start >= ? and hour_start < ?")
			.params(h.issuer(), h.subject(), Timestamp.from(h.hour().minus(period)), Timestamp.from(h.hour()))
			.query((rs, n) -> (rs.getLong(2) == 0) ? Double.NaN : rs.getLong(1) / (double) rs.getLong(2))
			.single();
		return average.isNaN() ? null : average;
	}

	/** Deletes what has left the period: items and hourly counts (the users' own rows stay, for the warm-up). */
	void prune(Instant now) {
		Timestamp before = Timestamp.from(now.minus(period).minus(Duration.ofDays(1)));
		jdbc.sql("delete from alert_baseline where kind <> ? and last_seen < ?").params(USER, before).update();
		jdbc.sql("delete from alert_call_rate where hour_start < ?").param(before).update();
	}

	/** One user's hour (UTC). */
	record UserHour(String issuer, String subject, Instant hour) {
	}
}
