package dev.gatehouse.server.mcp;

import java.util.Map;

import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.credentials.UpstreamCredential;
import dev.gatehouse.server.upstream.UpstreamClient;
import dev.gatehouse.server.upstream.UpstreamListener;
import dev.gatehouse.server.upstream.UpstreamRequestOrigin;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Relays what a target sends about one request to the agent's response stream: progress (already mapped to
 * the agent's token), log messages at or above the agent's level, and server→client requests the agent
 * declared it can answer. A request the agent cannot answer is refused to the target at once, so the target
 * does not wait for nothing.
 */
final class RelayListener implements UpstreamListener {

	/** RFC 5424 severities as MCP names them, least severe first. */
	private static final Map<String, Integer> LEVELS = Map.of("debug", 0, "info", 1, "notice", 2, "warning", 3,
			"error", 4, "critical", 5, "alert", 6, "emergency", 7);

	private final McpContext context;

	private final ResponseChannel channel;

	private final @Nullable String logLevel;

	private final ServerRequestRelay relay;

	private final UpstreamClient upstream;

	private final Target target;

	private final UpstreamCredential credential;

	RelayListener(McpContext context, ResponseChannel channel, @Nullable String logLevel, ServerRequestRelay relay,
			UpstreamClient upstream, Target target, UpstreamCredential credential) {
		this.context = context;
		this.channel = channel;
		this.logLevel = logLevel;
		this.relay = relay;
		this.upstream = upstream;
		this.target = target;
		this.credential = credential;
	}

	@Override
	public void onNotification(JsonRpcNotification notification) {
		if (notification.method().equals("notifications/message") && !logged(notification)) {
			return;
		}
		channel.send(notification);
	}

	private boolean logged(JsonRpcNotification notification) {
		if (context.stateless() && logLevel == null) {
			return false;
		}
		if (logLevel == null) {
			return true;
		}
		JsonNode level = (notification.params() != null) ? notification.params().get("level") : null;
		Integer severity = (level != null) ? LEVELS.get(level.asString("")) : null;
		Integer threshold = LEVELS.get(logLevel);
		return severity == null || threshold == null || severity >= threshold;
	}

	@Override
	public void onRequest(JsonRpcRequest request, UpstreamRequestOrigin origin) {
		String mode = (request.params() != null && request.params().get("mode") != null)
				? request.params().get("mode").asString() : null;
		String refusal = null;
		if (context.stateless()) {
			refusal = "The agent uses MCP 2026-07-28, which does not allow requests on a response stream";
		}
		else if (!context.capabilities().supports(request.method(), mode)) {
			refusal = "The agent did not declare the capability that " + request.method()
					+ (mode != null ? " (mode " + mode + ")" : "") + " needs";
		}
		if (refusal != null) {
			JsonRpcResponse answer = JsonRpcResponse.error(request.id(),
					new JsonRpcError(JsonRpcErrorCode.METHOD_NOT_FOUND.code(), refusal, null));
			upstream.respond(target, credential, origin, answer);
			return;
		}
		channel.send(relay.toAgent(request, origin, context));
	}

	static boolean isLevel(String level) {
		return LEVELS.containsKey(level);
	}
}
