package dev.gatehouse.server.monitor.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A stored alert: what fired (rule, severity), for whom or what (scope key), how often and when, and where it
 * stands. {@code details} holds the fields of the records that caused it, never a token or secret.
 *
 * @param id the alert's number
 * @param rule the rule that fired, such as {@code policy-denials}
 * @param severity how urgent it is
 * @param scopeKey {@code global}, {@code user:{issuer}|{subject}} or {@code target:{name}}
 * @param title one line for people
 * @param details the fields of the latest record that fired it, and the rule's figures
 * @param firstSeen when it first fired
 * @param lastSeen when it last fired
 * @param count how often it fired while open or acknowledged
 * @param status where it stands
 * @param acknowledgedBy who acknowledged it ({@code issuer|subject}), or {@code null}
 * @param acknowledgedAt when, or {@code null}
 * @param resolvedBy who resolved it, or {@code null}
 * @param resolvedAt when, or {@code null}
 * @param deliveries its delivery to each webhook
 */
public record Alert(long id, String rule, Severity severity, String scopeKey, String title, Map<String, Object> details,
		Instant firstSeen, Instant lastSeen, long count, Status status, @Nullable String acknowledgedBy,
		@Nullable Instant acknowledgedAt, @Nullable String resolvedBy, @Nullable Instant resolvedAt,
		List<Delivery> deliveries) {

	/** Where an alert stands: {@code open} → {@code acknowledged} → {@code resolved}, or straight to resolved. */
	public enum Status {

		OPEN, ACKNOWLEDGED, RESOLVED;

		public String id() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Status of(String id) {
			return valueOf(id.toUpperCase(Locale.ROOT));
		}
	}

	/**
	 * The delivery of an alert to one webhook.
	 *
	 * @param sink the webhook's name
	 * @param status {@code pending} (being tried), {@code delivered} or {@code failed} (attempts exhausted)
	 * @param attempts attempts made
	 * @param lastError why the latest attempt failed, or {@code null}
	 * @param updatedAt when this changed last
	 */
	public record Delivery(String sink, String status, int attempts, @Nullable String lastError, Instant updatedAt) {
	}
}
