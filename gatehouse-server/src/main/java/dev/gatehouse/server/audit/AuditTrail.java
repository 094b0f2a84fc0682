package dev.gatehouse.server.audit;

import dev.gatehouse.core.audit.ToolCallRecord;

/**
 * Where audit records go. {@link #record} and {@link #event} never block the caller on I/O and never throw
 * (unless the configured overflow policy rejects the record: see the audit configuration).
 */
public interface AuditTrail {

	void record(ToolCallRecord record);

	/** A security event other than a tool call: target changed, catalog drift, session ended… */
	void event(String type, java.util.Map<String, ?> fields);

	/** Records accepted but not yet written (for the queue-depth gauge). */
	int queueDepth();

	/**
	 * Called before a tool call runs: returns when the trail can take its record, else applies the overflow policy.
	 * @throws AuditUnavailableException when the call must be refused (nothing may run unrecorded)
	 */
	void admitToolCall();

}
