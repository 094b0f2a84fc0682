package dev.gatehouse.server.monitor.alerts;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * When activity is expected, per day of the week, in one time zone: parsed from entries such as
 * {@code Mon-Fri 08:00-18:00}, {@code Sat 09:00-13:00} or {@code Sun-Mon 22:00-24:00}. A day with no entry has no
 * business hours. Immutable.
 */
final class BusinessHours {

	static final String PATTERN = "(?i)\\s*(mon|tue|wed|thu|fri|sat|sun)(?:\\s*-\\s*(mon|tue|wed|thu|fri|sat|sun))?"
			+ "\\s+([01]\\d|2[0-3]):([0-5]\\d)\\s*-\\s*([01]\\d|2[0-4]):([0-5]\\d)\\s*";

	private static final java.util.regex.Pattern ENTRY = java.util.regex.Pattern.compile(PATTERN);

	private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

	private final ZoneId zone;

	private final Map<DayOfWeek, List<int[]>> minutes = new EnumMap<>(DayOfWeek.class);

	BusinessHours(ZoneId zone, List<String> entries) {
		this.zone = zone;
		for (String entry : entries) {
			Matcher m = ENTRY.matcher(entry);
			if (!m.matches()) {
				throw new IllegalArgumentException("gatehouse.alerts.rules.off-hours.business-hours: '" + entry
						+ "' must look like 'Mon-Fri 08:00-18:00'");
			}
			int from = DAYS.indexOf(m.group(1).toLowerCase(Locale.ROOT));
			int to = (m.group(2) != null) ? DAYS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) : from;
			int start = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
			int end = Integer.parseInt(m.group(5)) * 60 + Integer.parseInt(m.group(6));
			if (end > 24 * 60 || end <= start) {
				throw new IllegalArgumentException("gatehouse.alerts.rules.off-hours.business-hours: '" + entry
						+ "' must end after it starts, at 24:00 at the latest");
			}
			for (int d = from;; d = (d + 1) % 7) {
				minutes.computeIfAbsent(DayOfWeek.of(d + 1), (k) -> new ArrayList<>()).add(new int[] { start, end });
				if (d == to) {
					break;
				}
			}
		}
	}

	/** Whether {@code at} falls within business hours. */
	boolean contains(Instant at) {
		ZonedDateTime local = at.atZone(zone);
		LocalTime time = local.toLocalTime();
		int minute = time.getHour() * 60 + time.getMinute();
		for (int[] span : minutes.getOrDefault(local.getDayOfWeek(), List.of())) {
			if (minute >= span[0] && minute < span[1]) {
				return true;
			}
		}
		return false;
	}

	ZoneId zone() {
		return zone;
	}
}
