package dev.gatehouse.server.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.audit.ArgumentsDigest;
import dev.gatehouse.core.audit.ToolCallRecord;
import dev.gatehouse.core.audit.ToolCallRecord.Outcome;
import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.access.AccessPolicy;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.monitor.McpMetrics;
import dev.gatehouse.server.upstream.UpstreamException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * {@code tools/call}, the hot path, as a list of named steps: resolve the exposed name (catalog), decide
 * (access policy), forward (credentials, upstream, relay), answer, and audit. A tool the caller may not use
 * is answered exactly like a tool that does not exist; the real reason goes to the audit trail.
 */
@Component
final class ToolCallHandler {

	private final Catalog catalog;

	private final AccessPolicy policy;

	private final Forwarder forwarder;

	private final AuditTrail audit;

	private final ServerIdentity identity;

	private final McpMetrics metrics;

	private final Clock clock;

	ToolCallHandler(Catalog catalog, AccessPolicy policy, Forwarder forwarder, AuditTrail audit,
			ServerIdentity identity, McpMetrics metrics, Clock clock) {
		this.catalog = catalog;
		this.policy = policy;
		this.forwarder = forwarder;
		this.audit = audit;
		this.identity = identity;
		this.metrics = metrics;
		this.clock = clock;
	}

	void handle(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		Instant at = clock.instant();
		ObjectNode params = request.paramsOrEmpty();
		String name = toolName(params);
		JsonNode arguments = arguments(params);
		Audit record = new Audit(at, context, name, ArgumentsDigest.of(arguments));
		CatalogSnapshot snapshot = catalog.snapshot();
		Optional<Exposed> tool = snapshot.find(EntryKind.TOOL, name);
		Optional<Target> target = tool.flatMap((t) -> snapshot.target(t.target()));
		if (tool.isEmpty() || target.isEmpty()) {
			record.finish(null, null, Outcome.UNKNOWN_TOOL, 0, null);
			throw unknownTool(name);
		}
		Decision decision = policy.decide(context.caller(), tool.get().target(), "tool", tool.get().upstreamName(),
				(arguments != null) ? arguments : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
		if (!decision.allowed()) {
			record.finish(tool.get(), decision, Outcome.DENIED, 0, decision.reason());
			throw unknownTool(name);
		}
		ObjectNode upstreamParams = params.deepCopy();
		upstreamParams.put("name", tool.get().upstreamName());
		Forwarder.Outcome outcome;
		try {
			outcome = forwarder.forward(target.get(), "tools/call", upstreamParams, request, context, channel);
		}
		catch (JsonRpcException ex) {
			record.finish(tool.get(), decision, Outcome.UPSTREAM_ERROR, 0, ex.getMessage());
			throw ex;
		}
		answer(outcome, tool.get(), decision, record, context, channel);
	}

	private void answer(Forwarder.Outcome outcome, Exposed tool, Decision decision, Audit record,
			McpContext context, ResponseChannel channel) {
		if (outcome.cancelled()) {
			record.finish(tool, decision, Outcome.CANCELLED, 0, "cancelled by the agent");
			channel.keepAlive();
			return;
		}
		UpstreamException failure = outcome.failure();
		if (failure != null) {
			record.finish(tool, decision, Outcome.UPSTREAM_ERROR, failure.httpStatus(), failure.getMessage());
			JsonRpcError error = Forwarder.error(failure);
			throw new JsonRpcException(error.code(), error.message(), error.data());
		}
		JsonRpcResponse response = outcome.response();
		if (response.isError()) {
			record.finish(tool, decision, Outcome.UPSTREAM_ERROR, 200, response.error().message());
			channel.complete(Forwarder.relayedError(response, tool.target()));
			return;
		}
		JsonNode result = response.result();
		boolean isError = result.get("isError") != null && result.get("isError").asBoolean(false);
		record.finish(tool, decision, isError ? Outcome.TOOL_ERROR : Outcome.SUCCESS, 200, null);
		channel.complete(JsonRpcResponse.result(response.id(), identity.decorate(result, context, false)));
	}

	private static String toolName(ObjectNode params) {
		JsonNode name = params.get("name");
		if (name == null || !name.isString() || name.stringValue().isEmpty()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "tools/call needs 'name', the tool's name");
		}
		return name.stringValue();
	}

	private static @Nullable JsonNode arguments(ObjectNode params) {
		JsonNode arguments = params.get("arguments");
		if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "'arguments' must be an object");
		}
		return arguments;
	}

	static JsonRpcException unknownTool(String name) {
		return new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Unknown tool: " + name);
	}

	/** Builds and writes the audit record of one call (step 8). */
	private final class Audit {

		private final Instant at;

		private final McpContext context;

		private final String tool;

		private final String digest;

		Audit(Instant at, McpContext context, String tool, String digest) {
			this.at = at;
			this.context = context;
			this.tool = tool;
			this.digest = digest;
		}

		void finish(@Nullable Exposed exposed, @Nullable Decision decision, Outcome outcome,
				int status, @Nullable String detail) {
			Duration latency = Duration.ofNanos(System.nanoTime() - context.startNanos());
			audit.record(new ToolCallRecord(at, context.caller().issuer(), context.caller().subject(),
					context.caller().clientId(), context.sessionKey(), tool,
					(exposed != null) ? exposed.target() : null, (exposed != null) ? exposed.upstreamName() : null,
					decision, outcome, status, latency, digest, detail));
			metrics.toolCall((exposed != null) ? exposed.target() : "-", outcome, latency);
		}
	}
}
