package dev.gatehouse.server.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.Threads;
import dev.gatehouse.server.credentials.CredentialResolver;
import dev.gatehouse.server.credentials.CredentialUnavailableException;
import dev.gatehouse.server.credentials.UpstreamCredential;
import dev.gatehouse.server.upstream.CancellationSignal;
import dev.gatehouse.server.upstream.UpstreamCall;
import dev.gatehouse.server.upstream.UpstreamClient;
import dev.gatehouse.server.upstream.UpstreamException;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Steps 5 to 7 for any request that goes to a target: get the credential, call the target with the
 * per-target timeout and the gateway's hard limit, relay what it sends meanwhile, keep a long-running answer
 * alive, let the agent cancel it, and turn every failure into a JSON-RPC error that names the target.
 */
@Component
final class Forwarder {

	private static final Logger logger = LoggerFactory.getLogger(Forwarder.class);

	private final UpstreamClient upstream;

	private final CredentialResolver credentials;

	private final ServerRequestRelay relay;

	private final InFlightCalls inFlight;

	private final McpSessions sessions;

	private final Clock clock;

	private final GatehouseProperties.Upstream properties;

	private final Duration keepAlive;

	/** Each call's keep-alive pinger; cancelled pingers are removed at once, not kept for the interval. */
	private final ScheduledThreadPoolExecutor timers = Threads.timers("gatehouse-keepalive");

	Forwarder(UpstreamClient upstream, CredentialResolver credentials, ServerRequestRelay relay,
			InFlightCalls inFlight, McpSessions sessions, Clock clock, GatehouseProperties properties) {
		this.upstream = upstream;
		this.credentials = credentials;
		this.relay = relay;
		this.inFlight = inFlight;
		this.sessions = sessions;
		this.clock = clock;
		this.properties = properties.upstream();
		this.keepAlive = properties.mcp().keepAliveInterval();
	}

	/** The outcome of one forwarded request. */
	record Outcome(@Nullable JsonRpcResponse response, @Nullable UpstreamException failure, boolean cancelled) {
	}

	/**
	 * Calls {@code method} on a target with {@code params} on behalf of the request, relaying to its channel.
	 * The answer's id is the agent's.
	 * @param params a copy the caller owns: fields meant for the gateway only are removed from it
	 */
	Outcome forward(Target target, String method, ObjectNode params, JsonRpcRequest request, McpContext context,
			ResponseChannel channel) {
		UpstreamCredential credential = credential(target, context);
		CancellationSignal cancellation = new CancellationSignal();
		if (context.stateless()) {
			channel.onBroken(cancellation::cancel);
		}
		InFlightCalls.Registration registration = (context.session() != null)
				? inFlight.register(context.session().key(), request.id(), cancellation) : () -> {
				};
		ScheduledFuture<?> pinger = timers.scheduleWithFixedDelay(channel::keepAlive, keepAlive.toMillis(),
				keepAlive.toMillis(), TimeUnit.MILLISECONDS);
		String logLevel = context.stateless() ? context.logLevel()
				: (context.session() != null ? sessions.logLevel(context.session()) : null);
		Duration idle = (target.timeout() != null) ? target.timeout() : properties.defaultTimeout();
		Instant deadline = clock.instant().plus(properties.maxCallDuration());
		JsonNode progressToken = progressToken(request);
		ObjectNode upstreamParams = withoutAgentOnlyFields(params);
		try {
			try {
				return call(target, method, upstreamParams, request, context, channel, credential, logLevel, idle,
						deadline, progressToken, cancellation);
			}
			catch (UpstreamException ex) {
				UpstreamCredential refreshed = (ex.kind() == UpstreamException.Kind.UNAUTHORIZED
						&& ex.httpStatus() == 401) ? refreshedAfterRejection(target, context, credential) : null;
				if (refreshed == null) {
					throw ex;
				}
				// The target refused an OAuth token it should have accepted (revoked, or expired early): one refresh,
				// one retry. A second 401 is the answer.
				return call(target, method, upstreamParams, request, context, channel, refreshed, logLevel, idle,
						deadline, progressToken, cancellation);
			}
		}
		catch (UpstreamException ex) {
			return new Outcome(null, ex, ex.kind() == UpstreamException.Kind.CANCELLED);
		}
		finally {
			pinger.cancel(false);
			registration.close();
		}
	}

	private Outcome call(Target target, String method, ObjectNode params, JsonRpcRequest request, McpContext context,
			ResponseChannel channel, UpstreamCredential credential, @Nullable String logLevel, Duration idle,
			Instant deadline, @Nullable JsonNode progressToken, CancellationSignal cancellation) {
		RelayListener listener = new RelayListener(context, channel, logLevel, relay, upstream, target, credential);
		JsonRpcResponse response;
		context.telemetry().upstreamStarted();
		try {
			response = upstream.request(new UpstreamCall(target, credential, method, params.deepCopy(), progressToken,
					idle, deadline, listener, cancellation));
		}
		finally {
			context.telemetry().upstreamEnded();
		}
		return new Outcome(response.withId(request.id()), null, false);
	}

	private @Nullable UpstreamCredential refreshedAfterRejection(Target target, McpContext context,
			UpstreamCredential rejected) {
		if (!(rejected instanceof UpstreamCredential.OAuthToken)) {
			return null;
		}
		logger.info("Target '{}' refused an OAuth access token with 401; refreshing the grant once", target.name());
		return credentials.afterRejection(context.caller(), target, rejected, context.sessionKey());
	}

	/**
	 * The credential for the call.
	 * @throws dev.gatehouse.server.credentials.ConsentRequiredException when the user must authorise the target
	 * @throws dev.gatehouse.server.credentials.AuthorizationUnavailableException when no token can be had now
	 */
	private UpstreamCredential credential(Target target, McpContext context) {
		try {
			return credentials.resolve(context.caller(), target, context.sessionKey());
		}
		catch (CredentialUnavailableException ex) {
			logger.warn("No credential for target '{}': {}", target.name(), ex.getMessage());
			ObjectNode data = JsonNodeFactory.instance.objectNode();
			data.put("target", target.name());
			data.put("reason", "credential_unavailable");
			// Where the credential should come from (a variable or file name) is for administrators: it is logged,
			// not told to the agent.
			throw new JsonRpcException(JsonRpcErrorCode.INTERNAL_ERROR, "Target '" + target.name()
					+ "' cannot be called: the gateway has no usable credential for it (see the gateway log)", data);
		}
	}

	/**
	 * Removes what is meant for the gateway, not the target: the agent's progress token (the gateway sends its
	 * own), the 2026-07-28 per-request fields, and multi round-trip state.
	 */
	private static ObjectNode withoutAgentOnlyFields(ObjectNode params) {
		JsonNode meta = params.get("_meta");
		if (meta instanceof ObjectNode metaObject) {
			metaObject.remove("progressToken");
			java.util.List<String> reserved = new java.util.ArrayList<>();
			metaObject.propertyNames().forEach((n) -> {
				if (n.startsWith("io.modelcontextprotocol/")) {
					reserved.add(n);
				}
			});
			reserved.forEach(metaObject::remove);
			if (metaObject.isEmpty()) {
				params.remove("_meta");
			}
		}
		params.remove("inputResponses");
		params.remove("requestState");
		return params;
	}

	private static @Nullable JsonNode progressToken(JsonRpcRequest request) {
		ObjectNode meta = request.meta();
		JsonNode token = (meta != null) ? meta.get("progressToken") : null;
		return (token != null && (token.isString() || token.isIntegralNumber())) ? token : null;
	}

	/** The JSON-RPC error for a failed target: it names the target and what went wrong. */
	static JsonRpcError error(UpstreamException failure) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("target", failure.target());
		data.put("reason", "upstream_" + failure.kind().name().toLowerCase(java.util.Locale.ROOT));
		if (failure.httpStatus() != 0) {
			data.put("status", failure.httpStatus());
		}
		String message = Character.toUpperCase(failure.getMessage().charAt(0)) + failure.getMessage().substring(1);
		return new JsonRpcError(JsonRpcErrorCode.INTERNAL_ERROR.code(), message, data);
	}

	/** A target's own JSON-RPC error, relayed with the target named in the message. */
	static JsonRpcResponse relayedError(JsonRpcResponse response, String target) {
		JsonRpcError error = response.error();
		return JsonRpcResponse.error(response.id(),
				new JsonRpcError(error.code(), "Target '" + target + "' returned an error: " + error.message(),
						error.data()));
	}

	/** Keep-alive pingers of calls in flight (a finished call's pinger is removed when it ends). */
	int pendingTimers() {
		return timers.getQueue().size();
	}

	@PreDestroy
	void close() {
		timers.shutdownNow();
	}
}
