package dev.gatehouse.server.mcp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.audit.AuditUnavailableException;
import dev.gatehouse.server.audit.CallMark;
import org.jspecify.annotations.Nullable;

/**
 * The audit record ({@value AuditTrail#MCP_REQUEST}) of one MCP request other than {@code tools/call} that names
 * a target's prompt or resource: {@code prompts/get}, {@code resources/read}, {@code resources/subscribe},
 * {@code resources/unsubscribe}, {@code completion/complete}. A refused one (unknown, or denied by the policy) is
 * recorded with the decision's reason; one that goes to its target is marked as under way first and recorded, like
 * a tool call, before its answer leaves. Not thread-safe: one per request.
 */
final class RequestRecord {

	/** How a request ended. */
	enum Outcome {

		/** The target answered with a result. */
		SUCCESS,
		/** The target answered with a JSON-RPC error. */
		ERROR,
		/** No such prompt, resource or target. */
		NOT_FOUND,
		/** The policy denied it (the agent was told it does not exist). */
		DENIED,
		/** The user must authorise the target first. */
		AUTHORIZATION_REQUIRED,
		/** The target failed: unreachable, timed out, or answered garbage. */
		UPSTREAM_ERROR,
		/** The agent cancelled it. */
		CANCELLED

	}

	private final AuditTrail audit;

	private final Instant at;

	private final McpContext context;

	private final String method;

	private final String name;

	private @Nullable String target;

	private @Nullable String upstreamName;

	private @Nullable Decision decision;

	private @Nullable CallMark mark;

	private boolean finished;

	RequestRecord(AuditTrail audit, Instant at, McpContext context, String method, String name) {
		this.audit = audit;
		this.at = at;
		this.context = context;
		this.method = method;
		this.name = name;
	}

	/** What the name resolved to, and the policy's decision on it. */
	RequestRecord resolved(@Nullable String target, @Nullable String upstreamName, @Nullable Decision decision) {
		this.target = target;
		this.upstreamName = upstreamName;
		this.decision = decision;
		return this;
	}

	/** Marks the request as under way before it goes to the target. */
	void begin() {
		mark = audit.begin(at, fields("interrupted",
				"the gateway stopped before the request ended: whether the target ran it is unknown"));
	}

	/**
	 * Writes the record and returns once it is stored, before the answer goes to the agent.
	 * @throws JsonRpcException when the record could not be stored in time: the answer is withheld
	 */
	void finish(Outcome outcome, @Nullable String detail) {
		if (finished) {
			return;
		}
		finished = true;
		try {
			audit.request(at, fields(outcome.name().toLowerCase(Locale.ROOT), detail), mark);
		}
		catch (AuditUnavailableException ex) {
			throw new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, ex.getMessage());
		}
	}

	/** A request that failed on a path that recorded nothing (in the gateway itself) still gets its record. */
	void finishIfOpen(RuntimeException failure) {
		if (!finished) {
			finish((mark != null) ? Outcome.UPSTREAM_ERROR : Outcome.NOT_FOUND,
					"the gateway failed: " + failure.getClass().getSimpleName());
		}
	}

	private Map<String, Object> fields(String outcome, @Nullable String detail) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("issuer", context.caller().issuer());
		fields.put("subject", context.caller().subject());
		putIfPresent(fields, "client_id", context.caller().clientId());
		putIfPresent(fields, "session", context.sessionKey());
		fields.put("method", method);
		fields.put("name", name);
		putIfPresent(fields, "target", target);
		putIfPresent(fields, "upstream_name", upstreamName);
		if (decision != null) {
			fields.put("decision", decision.effect().name().toLowerCase(Locale.ROOT));
			fields.put("rule", decision.rule());
			fields.put("reason", decision.reason());
		}
		fields.put("outcome", outcome);
		fields.put("latency_us", (System.nanoTime() - context.startNanos()) / 1000);
		putIfPresent(fields, "detail", detail);
		return fields;
	}

	private static void putIfPresent(Map<String, Object> fields, String key, @Nullable String value) {
		if (value != null) {
			fields.put(key, value);
		}
	}
}
