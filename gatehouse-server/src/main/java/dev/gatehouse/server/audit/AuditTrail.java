package dev.gatehouse.server.audit;

import java.time.Instant;
import java.util.Map;

import dev.gatehouse.core.audit.ToolCallRecord;
import org.jspecify.annotations.Nullable;

/**
 * Where audit records go.
 *
 * <p>
 * A call's record is <em>durable before its answer leaves</em>: {@link #record(ToolCallRecord, CallMark)} and
 * {@link #request} return once the record is stored (in one transaction with the records of concurrent calls), so
 * that no answer reaches an agent without its record. A call that goes to a target is first marked as under way
 * ({@link #begin}); the mark is written with the next batch, and a mark left by an instance that stopped (a crash,
 * a kill) becomes a chained record with outcome {@code interrupted}. Security events ({@link #event}) are queued and
 * never wait. See ADR 0014.
 */
public interface AuditTrail {

	/** The type of the records of MCP requests other than {@code tools/call} that go to a target or are refused. */
	String MCP_REQUEST = "mcp_request";

	/**
	 * Appends a tool call's record and returns once it is stored.
	 * @param record the call's record
	 * @param call the call's mark, when it went to a target ({@link #begin}), else {@code null}
	 * @throws AuditUnavailableException when it could not be stored within {@code gatehouse.audit.durable-timeout}
	 * (the record stays queued and is written when the store is back; the answer must not be sent)
	 */
	void record(ToolCallRecord record, @Nullable CallMark call);

	/** {@link #record(ToolCallRecord, CallMark)} of a call that never went to a target. */
	default void record(ToolCallRecord record) {
		record(record, null);
	}

	/**
	 * Marks a tool call that is about to go to a target. Never waits.
	 * @param provisional the call's record as it would read if the call never ended (outcome
	 * {@code interrupted})
	 */
	CallMark begin(ToolCallRecord provisional);

	/**
	 * Marks an MCP request other than {@code tools/call} that is about to go to a target ({@value #MCP_REQUEST}).
	 * Never waits.
	 * @param at when the request arrived
	 * @param provisional its fields as they would read if it never ended (outcome {@code interrupted})
	 */
	CallMark begin(Instant at, Map<String, ?> provisional);

	/**
	 * Appends the record of an MCP request other than {@code tools/call} ({@value #MCP_REQUEST}) and returns once it
	 * is stored, like {@link #record(ToolCallRecord, CallMark)}.
	 * @param at when the request arrived
	 * @param fields its fields: caller, method, name or URI, target, decision, outcome, latency
	 * @param call its mark when it went to a target, else {@code null}
	 */
	void request(Instant at, Map<String, ?> fields, @Nullable CallMark call);

	/** A security event other than a tool call: target changed, catalog drift, session ended… Never waits. */
	void event(String type, Map<String, ?> fields);

	/** Records accepted but not yet written (for the queue-depth gauge). */
	int queueDepth();

	/**
	 * Called before a tool call runs: returns when the trail can take its record, else applies the overflow policy.
	 * @throws AuditUnavailableException when the call must be refused (nothing may run unrecorded)
	 */
	void admitToolCall();

}
