package dev.gatehouse.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One record of the audit trail as listeners (alert rules, metrics) and the store see it: a type, when it
 * happened, and flat fields. Tool calls have type {@value #TOOL_CALL}; security events have their own types
 * ({@code consent_failed}, {@code grant_refresh_failed}, {@code authentication_failed}, ...).
 *
 * <p>
 * Field names are shared across types where they mean the same thing: {@code issuer} and {@code subject} (whose
 * action or grant it is), {@code client_id}, {@code target}, {@code tool}, {@code outcome}, {@code decision},
 * {@code rule}, {@code reason}. Values are strings, numbers or booleans; never a token or secret.
 *
 * @param sequence the record's position in the trail (1, 2, ...), or 0 before it is stored
 * @param at when it happened, from the gateway's clock, kept to the microsecond: the precision of the
 *        {@code timestamp} columns of H2 and PostgreSQL, so that the hashed record and the stored time column say
 *        the same (a system clock has sub-microsecond digits on JDK 17 and later, which the databases round away)
 * @param type what happened, such as {@code tool_call} or {@code consent_failed}
 * @param fields the record's fields besides type and time, in a stable order; unmodifiable
 */
public record AuditEvent(long sequence, Instant at, String type, Map<String, Object> fields) {

	/** The type of tool call records. */
	public static final String TOOL_CALL = "tool_call";

	public AuditEvent {
		Objects.requireNonNull(at, "at must not be null");
		at = at.truncatedTo(ChronoUnit.MICROS);
		Objects.requireNonNull(type, "type must not be null");
		Objects.requireNonNull(fields, "fields must not be null");
		fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
	}

	/** A field as text, or {@code null} when absent. */
	public @Nullable String text(String name) {
		Object value = fields.get(name);
		return (value != null) ? value.toString() : null;
	}

	public @Nullable String issuer() {
		return text("issuer");
	}

	public @Nullable String subject() {
		return text("subject");
	}

	public @Nullable String target() {
		return text("target");
	}

	public @Nullable String tool() {
		return text("tool");
	}

	public @Nullable String outcome() {
		return text("outcome");
	}

	/** This event with its place in the trail. */
	public AuditEvent withSequence(long sequence) {
		return new AuditEvent(sequence, at, type, fields);
	}
}
