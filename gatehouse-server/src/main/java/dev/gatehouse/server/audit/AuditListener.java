package dev.gatehouse.server.audit;

import dev.gatehouse.core.audit.AuditEvent;

/**
 * Receives every audit record after it is written, in order, on the audit writer thread (never on a request
 * thread). Alert rules and security metrics are listeners. An implementation must return quickly (hand slow work
 * such as webhook delivery to its own executor); an exception is logged and does not stop the trail.
 */
public interface AuditListener {

	void onAudit(AuditEvent event);

}
