package dev.gatehouse.server.mcp;

import java.util.Set;

import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.mcp.ProtocolVersion;
import dev.gatehouse.server.credentials.AuthorizationUnavailableException;
import dev.gatehouse.server.credentials.ConsentRequiredException;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.EntryKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * Routes one JSON-RPC request to its handler and turns every protocol error into a JSON-RPC error response.
 * {@code initialize} and {@code subscriptions/listen} are answered by the HTTP edge, which owns the session
 * header and the held stream.
 */
@Component
final class McpDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(McpDispatcher.class);

	/** Methods of the session-based revisions that 2026-07-28 removed. */
	static final Set<String> SESSION_ONLY = Set.of("initialize", "ping", "logging/setLevel", "resources/subscribe",
			"resources/unsubscribe");

	/** Methods only 2026-07-28 has. */
	static final Set<String> STATELESS_ONLY = Set.of("server/discover", "subscriptions/listen");

	private final ListHandler lists;

	private final ToolCallHandler toolCalls;

	private final ForwardHandlers forwards;

	private final McpSessions sessions;

	private final ServerIdentity identity;

	private final Catalog catalog;

	private final ConsentAnswers consents;

	McpDispatcher(ListHandler lists, ToolCallHandler toolCalls, ForwardHandlers forwards, McpSessions sessions,
			ServerIdentity identity, Catalog catalog, ConsentAnswers consents) {
		this.consents = consents;
		this.lists = lists;
		this.toolCalls = toolCalls;
		this.forwards = forwards;
		this.sessions = sessions;
		this.identity = identity;
		this.catalog = catalog;
	}

	/** Whether {@code method} exists in the revision of {@code context}. */
	static boolean exists(String method, boolean stateless) {
		return stateless ? !SESSION_ONLY.contains(method) : !STATELESS_ONLY.contains(method);
	}

	void dispatch(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		try {
			route(request, context, channel);
		}
		catch (JsonRpcException ex) {
			channel.complete(JsonRpcResponse.error(request.id(), ex), status(ex.code(), context));
		}
		catch (ConsentRequiredException ex) {
			channel.complete(JsonRpcResponse.error(request.id(), consents.error(ex, context)));
		}
		catch (AuthorizationUnavailableException ex) {
			channel.complete(JsonRpcResponse.error(request.id(), ConsentAnswers.unavailable(ex)));
		}
		catch (RuntimeException ex) {
			logger.error("Handling {} failed", request.method(), ex);
			channel.complete(JsonRpcResponse.error(request.id(), new JsonRpcError(
					JsonRpcErrorCode.INTERNAL_ERROR.code(), "Internal error while handling " + request.method(), null)));
		}
	}

	/** The HTTP status of a JSON-RPC error: 2026-07-28 answers an unknown method with 404. */
	static int status(int code, McpContext context) {
		return (context.stateless() && code == JsonRpcErrorCode.METHOD_NOT_FOUND.code()) ? 404 : 200;
	}

	private void route(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		String method = request.method();
		if (!exists(method, context.stateless())) {
			throw methodNotFound(method, context);
		}
		switch (method) {
			case "ping" -> complete(request, JsonNodeFactory.instance.objectNode(), channel);
			case "logging/setLevel" -> complete(request, setLevel(request, context), channel);
			case "server/discover" -> complete(request, discover(context), channel);
			case "tools/list" -> complete(request, lists.list(EntryKind.TOOL, request, context), channel);
			case "prompts/list" -> complete(request, lists.list(EntryKind.PROMPT, request, context), channel);
			case "resources/list" -> complete(request, lists.list(EntryKind.RESOURCE, request, context), channel);
			case "resources/templates/list" -> complete(request, lists.list(EntryKind.TEMPLATE, request, context),
					channel);
			case "tools/call" -> toolCalls.handle(request, context, channel);
			case "prompts/get" -> forwards.getPrompt(request, context, channel);
			case "resources/read" -> forwards.readResource(request, context, channel);
			case "completion/complete" -> forwards.complete(request, context, channel);
			case "resources/subscribe" -> complete(request, forwards.subscribe(request, context, true), channel);
			case "resources/unsubscribe" -> complete(request, forwards.subscribe(request, context, false), channel);
			default -> throw methodNotFound(method, context);
		}
	}

	private static void complete(JsonRpcRequest request, JsonNode result, ResponseChannel channel) {
		channel.complete(JsonRpcResponse.result(request.id(), result));
	}

	private ObjectNode setLevel(JsonRpcRequest request, McpContext context) {
		JsonNode level = request.paramsOrEmpty().get("level");
		if (level == null || !level.isString() || !RelayListener.isLevel(level.stringValue())) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "logging/setLevel needs 'level', one of "
					+ "debug, info, notice, warning, error, critical, alert, emergency");
		}
		if (context.session() != null) {
			sessions.setLogLevel(context.session(), level.stringValue());
		}
		return JsonNodeFactory.instance.objectNode();
	}

	private ObjectNode discover(McpContext context) {
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		ArrayNode versions = result.putArray("supportedVersions");
		ProtocolVersion.ids().forEach(versions::add);
		result.set("capabilities", identity.capabilities(true));
		result.put("instructions", identity.instructions(catalog.snapshot()));
		return identity.decorate(result, context, true);
	}

	static JsonRpcException methodNotFound(String method, McpContext context) {
		String hint = "";
		if (context.stateless() && SESSION_ONLY.contains(method)) {
			hint = " (MCP 2026-07-28 removed it)";
		}
		else if (!context.stateless() && STATELESS_ONLY.contains(method)) {
			hint = " (it belongs to MCP 2026-07-28; this session uses " + context.version().id() + ")";
		}
		return new JsonRpcException(JsonRpcErrorCode.METHOD_NOT_FOUND, "Method not found: " + method + hint);
	}
}
