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
import dev.gatehouse.server.audit.AuditArguments;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.audit.AuditUnavailableException;
import dev.gatehouse.server.audit.CallMark;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.credentials.AuthorizationUnavailableException;
import dev.gatehouse.server.credentials.ConsentRequiredException;
import dev.gatehouse.server.credentials.CredentialResolver;
import dev.gatehouse.server.monitor.McpMetrics;
import dev.gatehouse.server.monitor.Tracing;
import dev.gatehouse.server.upstream.UpstreamException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
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

	private final ConsentAnswers consents;

	private final CredentialResolver credentials;

	private final AuditArguments auditArguments;

	private final Tracing tracing;

	ToolCallHandler(Catalog catalog, AccessPolicy policy, Forwarder forwarder, AuditTrail audit,
			ServerIdentity identity, McpMetrics metrics, Clock clock, ConsentAnswers consents,
			CredentialResolver credentials, AuditArguments auditArguments, Tracing tracing) {
		this.auditArguments = auditArguments;
		this.tracing = tracing;
		this.consents = consents;
		this.credentials = credentials;
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
		try {
			audit.admitToolCall();
		}
		catch (AuditUnavailableException ex) {
			throw new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, ex.getMessage());
		}
		CatalogSnapshot snapshot = catalog.snapshot();
		Optional<Exposed> tool = snapshot.find(EntryKind.TOOL, name);
		Span span = tracing.startToolCall(context.telemetry().traceParent(), tool.map(Exposed::exposedName).orElse(null),
				context.caller().subject());
		Audit record = new Audit(at, context, name, ArgumentsDigest.of(arguments), arguments, span);
		try (Scope scope = tracing.enabled() ? span.makeCurrent() : Scope.noop()) {
			handle(request, context, channel, params, arguments, snapshot, tool, record);
		}
		catch (RuntimeException ex) {
			record.finishIfOpen(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/** The call once its tool was looked up: steps 3 to 8 under the call's span. */
	private void handle(JsonRpcRequest request, McpContext context, ResponseChannel channel, ObjectNode params,
			@Nullable JsonNode arguments, CatalogSnapshot snapshot, Optional<Exposed> tool, Audit record) {
		Optional<Target> target = tool.flatMap((t) -> snapshot.target(t.target()));
		if (tool.isEmpty() || target.isEmpty()) {
			record.finish(null, null, Outcome.UNKNOWN_TOOL, 0, null);
			throw unknownTool(record.tool);
		}
		if (tool.get().connectTool()) {
			connect(tool.get(), target.get(), request, context, channel, record);
			return;
		}
		Decision decision = policy.decide(context.caller(), tool.get().target(), "tool", tool.get().upstreamName(),
				(arguments != null) ? arguments : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
		if (!decision.allowed()) {
			record.finish(tool.get(), decision, Outcome.DENIED, 0, decision.reason());
			throw unknownTool(record.tool);
		}
		ObjectNode upstreamParams = params.deepCopy();
		upstreamParams.put("name", tool.get().upstreamName());
		if (context.stateless()) {
			consents.checkRetry(params.get("requestState"), context.caller(), tool.get().target());
		}
		Forwarder.Outcome outcome;
		record.begin(tool.get(), decision);
		try {
			outcome = forwarder.forward(target.get(), "tools/call", upstreamParams, request, context, channel);
		}
		catch (JsonRpcException ex) {
			record.finish(tool.get(), decision, Outcome.UPSTREAM_ERROR, 0, ex.getMessage());
			throw ex;
		}
		catch (ConsentRequiredException ex) {
			record.finish(tool.get(), decision, Outcome.AUTHORIZATION_REQUIRED, 0,
					"consent requested (" + ex.reason().name().toLowerCase(java.util.Locale.ROOT) + ", elicitation "
							+ ex.elicitationId() + ")");
			channel.complete(JsonRpcResponse.result(request.id(),
					identity.decorate(consents.toolCallAnswer(ex, context), context, false)));
			return;
		}
		catch (AuthorizationUnavailableException ex) {
			record.finish(tool.get(), decision, Outcome.UPSTREAM_ERROR, 0, ex.getMessage());
			throw ConsentAnswers.unavailable(ex);
		}
		answer(outcome, tool.get(), decision, record, context, channel);
	}

	/**
	 * The gateway's own {@code {target}___connect} tool of a per-user OAuth target nobody has connected yet: no
	 * upstream call, just the consent link (or, when the caller is connected already, a note that the tools are
	 * being read).
	 */
	private void connect(Exposed tool, Target target, JsonRpcRequest request, McpContext context,
			ResponseChannel channel, Audit record) {
		if (!policy.mayConnect(context.caller(), target.name())) {
			record.finish(tool, null, Outcome.DENIED, 0, "no rule lets the caller's roles use target '" + target.name() + "'");
			throw unknownTool(tool.exposedName());
		}
		Decision decision = Decision.allow("connect", "the caller's roles may use target '" + target.name() + "'");
		try {
			credentials.resolve(context.caller(), target, context.sessionKey());
		}
		catch (ConsentRequiredException ex) {
			record.finish(tool, decision, Outcome.AUTHORIZATION_REQUIRED, 0, "consent requested (elicitation "
					+ ex.elicitationId() + ")");
			channel.complete(JsonRpcResponse.result(request.id(),
					identity.decorate(consents.toolCallAnswer(ex, context), context, false)));
			return;
		}
		catch (AuthorizationUnavailableException ex) {
			record.finish(tool, decision, Outcome.UPSTREAM_ERROR, 0, ex.getMessage());
			throw ConsentAnswers.unavailable(ex);
		}
		catalog.requestSync(target);
		record.finish(tool, decision, Outcome.SUCCESS, 0, "already connected");
		ObjectNode result = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
		result.putArray("content").addObject().put("type", "text").put("text", "Your account at " + target.name()
				+ " is connected. The gateway is reading its tools now; they will be listed shortly "
				+ "(a tools list-changed notification follows).");
		channel.complete(JsonRpcResponse.result(request.id(), identity.decorate(result, context, false)));
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

		private final @Nullable JsonNode arguments;

		private final Span span;

		private @Nullable CallMark mark;

		private boolean finished;

		private @Nullable Exposed exposed;

		private @Nullable Decision decision;

		Audit(Instant at, McpContext context, String tool, String digest, @Nullable JsonNode arguments, Span span) {
			this.arguments = arguments;
			this.at = at;
			this.context = context;
			this.tool = tool;
			this.digest = digest;
			this.span = span;
		}

		/** Marks the call as under way before it goes to the target, so that a crash cannot lose it silently. */
		void begin(Exposed exposed, Decision decision) {
			this.exposed = exposed;
			this.decision = decision;
			mark = audit.begin(build(exposed, decision, Outcome.INTERRUPTED, 0, Duration.ZERO, Duration.ZERO,
					"the gateway stopped before the call ended: whether the target ran it is unknown"));
		}

		/**
		 * Writes the call's record and returns once it is stored, before the answer goes to the agent.
		 * @throws JsonRpcException when the record could not be stored in time: the answer is withheld
		 */
		void finish(@Nullable Exposed exposed, @Nullable Decision decision, Outcome outcome,
				int status, @Nullable String detail) {
			finished = true;
			Duration latency = Duration.ofNanos(System.nanoTime() - context.startNanos());
			Duration upstream = context.telemetry().upstream();
			String target = (exposed != null) ? exposed.target() : null;
			String upstreamTool = (exposed != null) ? exposed.upstreamName() : null;
			metrics.toolCall(target, (exposed != null) ? exposed.exposedName() : null, outcome, latency, upstream);
			tracing.endToolCall(span, target, upstreamTool, outcome.name().toLowerCase(java.util.Locale.ROOT),
					outcome == Outcome.UPSTREAM_ERROR);
			try {
				audit.record(build(exposed, decision, outcome, status, latency, upstream, detail), mark);
			}
			catch (AuditUnavailableException ex) {
				throw new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, ex.getMessage());
			}
		}

		/** A call that went to its target and then failed in the gateway itself still gets its record. */
		void finishIfOpen(RuntimeException failure) {
			if (mark != null && !finished) {
				finish(exposed, decision, Outcome.UPSTREAM_ERROR, 0, "the gateway failed: "
						+ failure.getClass().getSimpleName());
			}
		}

		private ToolCallRecord build(@Nullable Exposed exposed, @Nullable Decision decision, Outcome outcome,
				int status, Duration latency, Duration upstream, @Nullable String detail) {
			String target = (exposed != null) ? exposed.target() : null;
			String upstreamTool = (exposed != null) ? exposed.upstreamName() : null;
			return new ToolCallRecord(at, context.caller().issuer(), context.caller().subject(),
					context.caller().clientId(), context.sessionKey(), tool, target, upstreamTool, decision, outcome,
					status, latency, upstream, digest, detail, auditArguments.recordable(target, arguments));
		}
	}
}
