package dev.gatehouse.server.mcp;

import java.time.Clock;
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
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.credentials.AuthorizationUnavailableException;
import dev.gatehouse.server.credentials.ConsentRequiredException;
import dev.gatehouse.server.upstream.UpstreamException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The requests other than {@code tools/call} that go to one target: {@code prompts/get},
 * {@code resources/read}, {@code completion/complete}, {@code resources/subscribe} and
 * {@code resources/unsubscribe}. Names and URIs are mapped to the target's and back. Each is audited
 * ({@link RequestRecord}): refused ones with the reason, forwarded ones durably before the answer leaves.
 */
@Component
final class ForwardHandlers {

	private final Catalog catalog;

	private final AccessPolicy policy;

	private final Forwarder forwarder;

	private final ServerIdentity identity;

	private final McpSessions sessions;

	private final AuditTrail audit;

	private final Clock clock;

	ForwardHandlers(Catalog catalog, AccessPolicy policy, Forwarder forwarder, ServerIdentity identity,
			McpSessions sessions, AuditTrail audit, Clock clock) {
		this.audit = audit;
		this.clock = clock;
		this.catalog = catalog;
		this.policy = policy;
		this.forwarder = forwarder;
		this.identity = identity;
		this.sessions = sessions;
	}

	void getPrompt(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		String name = requiredString(request.paramsOrEmpty(), "name", "prompts/get needs 'name', the prompt's name");
		RequestRecord record = record(context, "prompts/get", name);
		audited(record, () -> {
			CatalogSnapshot snapshot = catalog.snapshot();
			Exposed prompt = prompt(snapshot, name, context, record);
			ObjectNode params = request.paramsOrEmpty().deepCopy();
			params.put("name", prompt.upstreamName());
			relay(snapshot, prompt.target(), "prompts/get", params, request, context, channel, false, record);
		});
	}

	void readResource(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		String uri = requiredString(request.paramsOrEmpty(), "uri", "resources/read needs 'uri'");
		RequestRecord record = record(context, "resources/read", uri);
		audited(record, () -> {
			CatalogSnapshot snapshot = catalog.snapshot();
			ResourceUris.Qualified qualified = resolve(snapshot, uri, context, record);
			ObjectNode params = request.paramsOrEmpty().deepCopy();
			params.put("uri", qualified.uri());
			relay(snapshot, qualified.target(), "resources/read", params, request, context, channel, true, record);
		});
	}

	void complete(JsonRpcRequest request, McpContext context, ResponseChannel channel) {
		ObjectNode params = request.paramsOrEmpty().deepCopy();
		JsonNode ref = params.get("ref");
		if (!(ref instanceof ObjectNode refObject) || ref.get("type") == null) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
					"completion/complete needs 'ref' of type ref/prompt or ref/resource");
		}
		String type = refObject.get("type").asString();
		String field = type.equals("ref/prompt") ? "name" : "uri";
		if (!type.equals("ref/prompt") && !type.equals("ref/resource")) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "'ref.type' must be ref/prompt or ref/resource");
		}
		String named = requiredString(refObject, field, "'ref." + field + "' is required for " + type);
		RequestRecord record = record(context, "completion/complete", named);
		audited(record, () -> {
			CatalogSnapshot snapshot = catalog.snapshot();
			String target;
			if (type.equals("ref/prompt")) {
				Exposed prompt = prompt(snapshot, named, context, record);
				refObject.put("name", prompt.upstreamName());
				target = prompt.target();
			}
			else {
				Optional<Exposed> template = snapshot.find(EntryKind.TEMPLATE, named);
				if (template.isPresent()) {
					// A template's completions are the target's too: the same policy as reading its resources.
					decideOrRefuse(context, template.get().target(), "resource", template.get().upstreamName(), record,
							() -> resourceNotFound(named, context));
					refObject.put("uri", template.get().upstreamName());
					target = template.get().target();
				}
				else {
					ResourceUris.Qualified qualified = resolve(snapshot, named, context, record);
					refObject.put("uri", qualified.uri());
					target = qualified.target();
				}
			}
			relay(snapshot, target, "completion/complete", params, request, context, channel, false, record);
		});
	}

	/** {@code resources/subscribe}: subscribes at the target and records the session's interest. */
	ObjectNode subscribe(JsonRpcRequest request, McpContext context, boolean subscribe) {
		String method = subscribe ? "resources/subscribe" : "resources/unsubscribe";
		String uri = requiredString(request.paramsOrEmpty(), "uri", method + " needs 'uri'");
		RequestRecord record = record(context, method, uri);
		audited(record, () -> {
			CatalogSnapshot snapshot = catalog.snapshot();
			ResourceUris.Qualified qualified = resolve(snapshot, uri, context, record);
			McpSession session = context.session();
			if (subscribe) {
				ObjectNode params = JsonNodeFactory.instance.objectNode();
				params.put("uri", qualified.uri());
				Target target = snapshot.target(qualified.target()).orElseThrow();
				Forwarder.Outcome outcome = forward(target, "resources/subscribe", params, request, context,
						new DiscardingChannel(), record);
				failIfNeeded(outcome, qualified.target(), record);
				if (session != null) {
					sessions.subscribe(session, uri);
				}
			}
			else if (session != null) {
				sessions.unsubscribe(session, uri);
			}
			record.finish(RequestRecord.Outcome.SUCCESS, null);
		});
		return JsonNodeFactory.instance.objectNode();
	}

	private RequestRecord record(McpContext context, String method, String name) {
		return new RequestRecord(audit, clock.instant(), context, method, name);
	}

	/** Runs a request's steps; a failure nothing recorded yet still leaves the request's record. */
	private static void audited(RequestRecord record, Runnable steps) {
		try {
			steps.run();
		}
		catch (RuntimeException ex) {
			record.finishIfOpen(ex);
			throw ex;
		}
	}

	private void relay(CatalogSnapshot snapshot, String targetName, String method, ObjectNode params,
			JsonRpcRequest request, McpContext context, ResponseChannel channel, boolean cacheable,
			RequestRecord record) {
		Optional<Target> found = snapshot.target(targetName);
		if (found.isEmpty()) {
			record.finish(RequestRecord.Outcome.NOT_FOUND, "target '" + targetName + "' is not available");
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Target '" + targetName + "' is not available");
		}
		Forwarder.Outcome outcome = forward(found.get(), method, params, request, context, channel, record);
		if (outcome.cancelled()) {
			record.finish(RequestRecord.Outcome.CANCELLED, "cancelled by the agent");
			channel.keepAlive();
			return;
		}
		failIfNeeded(outcome, targetName, record);
		JsonRpcResponse response = outcome.response();
		JsonNode result = response.result();
		if (method.equals("resources/read")) {
			exposeContents(snapshot, targetName, result);
		}
		record.finish(RequestRecord.Outcome.SUCCESS, null);
		channel.complete(JsonRpcResponse.result(response.id(), identity.decorate(result, context, cacheable)));
	}

	/** Marks the request as under way, then forwards it; a refusal on the way there is recorded. */
	private Forwarder.Outcome forward(Target target, String method, ObjectNode params, JsonRpcRequest request,
			McpContext context, ResponseChannel channel, RequestRecord record) {
		record.begin();
		try {
			return forwarder.forward(target, method, params, request, context, channel);
		}
		catch (ConsentRequiredException ex) {
			record.finish(RequestRecord.Outcome.AUTHORIZATION_REQUIRED, "consent requested");
			throw ex;
		}
		catch (JsonRpcException | AuthorizationUnavailableException ex) {
			record.finish(RequestRecord.Outcome.UPSTREAM_ERROR, ex.getMessage());
			throw ex;
		}
	}

	private static void failIfNeeded(Forwarder.Outcome outcome, String target, RequestRecord record) {
		UpstreamException failure = outcome.failure();
		if (failure != null) {
			record.finish(RequestRecord.Outcome.UPSTREAM_ERROR, failure.getMessage());
		}
		else if (outcome.response() != null && outcome.response().isError() && outcome.response().error() != null) {
			record.finish(RequestRecord.Outcome.ERROR, outcome.response().error().message());
		}
		failIfNeeded(outcome, target);
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

	private ResourceUris.Qualified resolve(CatalogSnapshot snapshot, String uri, McpContext context,
			RequestRecord record) {
		Optional<ResourceUris.Qualified> qualified = snapshot.resolveResource(uri);
		if (qualified.isEmpty()) {
			record.finish(RequestRecord.Outcome.NOT_FOUND, null);
			throw resourceNotFound(uri, context);
		}
		decideOrRefuse(context, qualified.get().target(), "resource", qualified.get().uri(), record,
				() -> resourceNotFound(uri, context));
		return qualified.get();
	}

	private Exposed prompt(CatalogSnapshot snapshot, String name, McpContext context, RequestRecord record) {
		Optional<Exposed> prompt = snapshot.find(EntryKind.PROMPT, name);
		java.util.function.Supplier<JsonRpcException> unknown = () -> new JsonRpcException(
				JsonRpcErrorCode.INVALID_PARAMS, "Unknown prompt: " + name);
		if (prompt.isEmpty()) {
			record.finish(RequestRecord.Outcome.NOT_FOUND, null);
			throw unknown.get();
		}
		decideOrRefuse(context, prompt.get().target(), "prompt", prompt.get().upstreamName(), record, unknown);
		return prompt.get();
	}

	/**
	 * The policy's decision on one prompt or resource, recorded; a denial answers exactly like a missing one (the
	 * reason is in the record only).
	 */
	private void decideOrRefuse(McpContext context, String target, String kind, String name, RequestRecord record,
			java.util.function.Supplier<JsonRpcException> refusal) {
		Decision decision = policy.decide(context.caller(), target, kind, name, null);
		record.resolved(target, name, decision);
		if (!decision.allowed()) {
			record.finish(RequestRecord.Outcome.DENIED, decision.reason());
			throw refusal.get();
		}
	}

	private static JsonRpcException resourceNotFound(String uri, McpContext context) {
		ObjectNode data = JsonNodeFactory.instance.objectNode();
		data.put("uri", uri);
		JsonRpcErrorCode code = context.stateless() ? JsonRpcErrorCode.INVALID_PARAMS
				: JsonRpcErrorCode.RESOURCE_NOT_FOUND;
		return new JsonRpcException(code, "Resource not found: " + uri, data);
	}

	private static String requiredString(ObjectNode params, String name, String message) {
		JsonNode value = params.get(name);
		if (value == null || !value.isString() || value.stringValue().isEmpty()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, message);
		}
		return value.stringValue();
	}
}
