package dev.gatehouse.server.mcp;

import java.util.Optional;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.jsonrpc.JsonRpcError;
import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import dev.gatehouse.core.mcp.ResourceUris;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.access.AccessPolicy;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.upstream.UpstreamException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The requests other than {@code tools/call} that go to one target: {@code prompts/get},
 * {@code resources/read}, {@code completion/complete}, {@code resources/subscribe} and
 * {@code resources/unsubscribe}. Names and URIs are mapped to the target's and back.
 */
@Component
final class ForwardHandlers {

	private final Catalog catalog;

	private final AccessPolicy policy;

	private final Forwarder forwarder;

	private final ServerIdentity identity;

	private final McpSessions sessions;

	ForwardHandlers(Catalog catalog, AccessPolicy policy, Forwarder forwarder, ServerIdentity identity,
			McpSessions sessions) {
		this.catalog = catalog;
		this.policy = policy;
		this.forwarder = forwarder;
		this.identity = identity;
		this.sessions = sessions;
	}

	void getPrompt(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		String name = requiredString(request.paramsOrEmpty(), "name", "prompts/get needs 'name', the prompt's name");
		CatalogSnapshot snapshot = catalog.snapshot();
		Exposed prompt = snapshot.find(EntryKind.PROMPT, name)
			.filter((p) -> allowed(context, p.target(), "prompt", p.upstreamName()))
			.orElseThrow(() -> new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Unknown prompt: " + name));
		ObjectNode params = request.paramsOrEmpty().deepCopy();
		params.put("name", prompt.upstreamName());
		relay(snapshot, prompt.target(), "prompts/get", params, request, context, channel, false);
	}

	void readResource(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		String uri = requiredString(request.paramsOrEmpty(), "uri", "resources/read needs 'uri'");
		CatalogSnapshot snapshot = catalog.snapshot();
		ResourceUris.Qualified qualified = resolve(snapshot, uri, context);
		ObjectNode params = request.paramsOrEmpty().deepCopy();
		params.put("uri", qualified.uri());
		relay(snapshot, qualified.target(), "resources/read", params, request, context, channel, true);
	}

	void complete(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		ObjectNode params = request.paramsOrEmpty().deepCopy();
		JsonNode ref = params.get("ref");
		if (!(ref instanceof ObjectNode refObject) || ref.get("type") == null) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
					"completion/complete needs 'ref' of type ref/prompt or ref/resource");
		}
		CatalogSnapshot snapshot = catalog.snapshot();
		String target;
		switch (refObject.get("type").asString()) {
			case "ref/prompt" -> {
				String name = requiredString(refObject, "name", "'ref.name' is required for ref/prompt");
				Exposed prompt = snapshot.find(EntryKind.PROMPT, name)
					.filter((p) -> allowed(context, p.target(), "prompt", p.upstreamName()))
					.orElseThrow(() -> new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Unknown prompt: " + name));
				refObject.put("name", prompt.upstreamName());
				target = prompt.target();
			}
			case "ref/resource" -> {
				String uri = requiredString(refObject, "uri", "'ref.uri' is required for ref/resource");
				Optional<Exposed> template = snapshot.find(EntryKind.TEMPLATE, uri);
				if (template.isPresent()) {
					refObject.put("uri", template.get().upstreamName());
					target = template.get().target();
				}
				else {
					ResourceUris.Qualified qualified = resolve(snapshot, uri, context);
					refObject.put("uri", qualified.uri());
					target = qualified.target();
				}
			}
			default -> throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
					"'ref.type' must be ref/prompt or ref/resource");
		}
		relay(snapshot, target, "completion/complete", params, request, context, channel, false);
	}

	/** {@code resources/subscribe}: subscribes at the target and records the session's interest. */
	ObjectNode subscribe(JsonRpcRequest request, McpContext context, boolean subscribe) {
		String uri = requiredString(request.paramsOrEmpty(), "uri",
				(subscribe ? "resources/subscribe" : "resources/unsubscribe") + " needs 'uri'");
		CatalogSnapshot snapshot = catalog.snapshot();
		ResourceUris.Qualified qualified = resolve(snapshot, uri, context);
		McpSession session = context.session();
		if (subscribe) {
			ObjectNode params = JsonNodeFactory.instance.objectNode();
			params.put("uri", qualified.uri());
			Target target = snapshot.target(qualified.target()).orElseThrow();
			Forwarder.Outcome outcome = forwarder.forward(target, "resources/subscribe", params, request, context,
					new DiscardingChannel());
			failIfNeeded(outcome, qualified.target());
			if (session != null) {
				sessions.subscribe(session, uri);
			}
		}
		else if (session != null) {
			sessions.unsubscribe(session, uri);
		}
		return JsonNodeFactory.instance.objectNode();
	}

	private void relay(CatalogSnapshot snapshot, String targetName, String method, ObjectNode params,
			JsonRpcRequest request, McpContext context, ResponseChannel channel, boolean cacheable) {
		Target target = snapshot.target(targetName)
			.orElseThrow(() -> new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
					"Target '" + targetName + "' is not available"));
		Forwarder.Outcome outcome = forwarder.forward(target, method, params, request, context, channel);
		if (outcome.cancelled()) {
			channel.keepAlive();
			return;
		}
		failIfNeeded(outcome, targetName);
		JsonRpcResponse response = outcome.response();
		if (response.isError()) {
			channel.complete(Forwarder.relayedError(response, targetName));
			return;
		}
		JsonNode result = response.result();
		if (method.equals("resources/read")) {
			exposeContents(snapshot, targetName, result);
		}
		channel.complete(JsonRpcResponse.result(response.id(), identity.decorate(result, context, cacheable)));
	}

	private static void failIfNeeded(Forwarder.Outcome outcome, String target) {
		UpstreamException failure = outcome.failure();
		if (failure != null) {
			JsonRpcError error = Forwarder.error(failure);
			throw new JsonRpcException(error.code(), error.message(), error.data());
		}
		if (outcome.response() != null && outcome.response().isError()
				&& outcome.response().error() != null) {
			JsonRpcResponse relayed = Forwarder.relayedError(outcome.response(), target);
			throw new JsonRpcException(relayed.error().code(), relayed.error().message(), relayed.error().data());
		}
	}

	/** Rewrites {@code contents[].uri} to the URIs the agent uses. */
	private static void exposeContents(CatalogSnapshot snapshot, String target, JsonNode result) {
		JsonNode contents = result.get("contents");
		if (contents != null && contents.isArray()) {
			for (JsonNode content : contents) {
				if (content instanceof ObjectNode object && object.get("uri") != null && object.get("uri").isString()) {
					object.put("uri", snapshot.exposeUri(target, object.get("uri").stringValue()));
				}
			}
		}
	}

	private ResourceUris.Qualified resolve(CatalogSnapshot snapshot, String uri, McpContext context) {
		return snapshot.resolveResource(uri)
			.filter((q) -> allowed(context, q.target(), "resource", q.uri()))
			.orElseThrow(() -> resourceNotFound(uri, context));
	}

	private static JsonRpcException resourceNotFound(String uri, McpContext context) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("uri", uri);
		JsonRpcErrorCode code = context.stateless() ? JsonRpcErrorCode.INVALID_PARAMS
				: JsonRpcErrorCode.RESOURCE_NOT_FOUND;
		return new JsonRpcException(code, "Resource not found: " + uri, data);
	}

	private boolean allowed(McpContext context, String target, String kind, String name) {
		Decision decision = policy.decide(context.caller(), target, kind, name, null);
		return decision.allowed();
	}

	private static String requiredString(ObjectNode params, String name, String message) {
		JsonNode value = params.get(name);
		if (value == null || !value.isString() || value.stringValue().isEmpty()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, message);
		}
		return value.stringValue();
	}
}
