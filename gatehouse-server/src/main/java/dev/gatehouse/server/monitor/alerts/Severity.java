package dev.gatehouse.server.monitor.alerts;

import java.util.Locale;

/** How urgent an alert is, lowest first. */
public enum Severity {

	LOW, MEDIUM, HIGH, CRITICAL;

	/** The name as the API and payloads show it: {@code low}, {@code medium}, {@code high}, {@code critical}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The severity named {@code id} (any case). */
	public static Severity of(String id) {
		return valueOf(id.toUpperCase(Locale.ROOT));
	}
}
