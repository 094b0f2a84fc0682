package dev.gatehouse.server.monitor.alerts;

import java.time.Instant;
import java.util.Map;

/** What a rule found: an alert to open, or to count again if one is open for the same rule and scope. */
record Candidate(String rule, Severity severity, String scopeKey, String title, Map<String, Object> details,
		Instant at) {

	/** The key that makes an open alert unique: rule and scope. */
	String openKey() {
		return rule + "|" + scopeKey;
	}
}
