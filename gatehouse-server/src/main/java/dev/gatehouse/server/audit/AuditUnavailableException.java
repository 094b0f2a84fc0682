package dev.gatehouse.server.audit;

/**
 * A tool call refused because the audit trail cannot take its record (the queue is full and the overflow policy
 * is {@code reject}, or room did not come within the block timeout). Nothing was executed.
 */
public final class AuditUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	AuditUnavailableException() {
		super("The gateway cannot record tool calls right now (its audit queue is full), so this call was not "
				+ "executed; retry in a moment", null, false, false);
	}
}
