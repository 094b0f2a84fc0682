package dev.gatehouse.server.audit;

import dev.gatehouse.core.audit.ToolCallRecord;

/**
 * Where audit records go. {@link #record} never blocks the caller on I/O and never throws.
 */
public interface AuditTrail {

	void record(ToolCallRecord record);

	/** A security event other than a tool call: target changed, catalog drift, session ended… */
	void event(String type, java.util.Map<String, ?> fields);

}
