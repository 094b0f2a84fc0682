package dev.gatehouse.server.audit;

import java.util.Objects;

/**
 * A call under way, as the audit trail knows it between {@link AuditTrail#begin} and the call's record: its id in
 * {@code audit_in_flight}. Opaque outside the audit package.
 */
public final class CallMark {

	private final String id;

	CallMark(String id) {
		this.id = Objects.requireNonNull(id, "id must not be null");
	}

	String id() {
		return id;
	}

	@Override
	public String toString() {
		return "CallMark[" + id + "]";
	}
}
