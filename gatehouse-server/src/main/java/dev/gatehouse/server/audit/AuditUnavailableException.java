package dev.gatehouse.server.audit;

/**
 * A call refused because the audit trail cannot take its record: at admission (the queue is full and the overflow
 * policy is {@code reject}, or room did not come within the block timeout; nothing was executed), or once answered
 * (its record was not stored within {@code gatehouse.audit.durable-timeout}; the answer is withheld, the record is
 * still written when the store is back).
 */
public final class AuditUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private AuditUnavailableException(String message) {
		super(message, null, false, false);
	}

	static AuditUnavailableException queueFull() {
		return new AuditUnavailableException("The gateway cannot record tool calls right now (its audit queue is "
				+ "full), so this call was not executed; retry in a moment");
	}

	static AuditUnavailableException notStored() {
		return new AuditUnavailableException("The gateway could not store this call's audit record in time (its "
				+ "audit database is not answering), so the call's answer is withheld; the call may have run at the "
				+ "target, and its record is written once the database is back");
	}
}
