package dev.gatehouse.server.mcp;

import java.util.List;

import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.server.access.AccessPolicy;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.config.GatehouseProperties;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * {@code tools/list}, {@code prompts/list}, {@code resources/list} and {@code resources/templates/list}: the
 * aggregated catalog, filtered to what the caller may use, in pages of {@code gatehouse.mcp.page-size}.
 */
@Component
final class ListHandler {

	private final Catalog catalog;

	private final AccessPolicy policy;

	private final ServerIdentity identity;

	private final int pageSize;

	ListHandler(Catalog catalog, AccessPolicy policy, ServerIdentity identity, GatehouseProperties properties) {
		this.catalog = catalog;
		this.policy = policy;
		this.identity = identity;
		this.pageSize = properties.mcp().pageSize();
	}

	ObjectNode list(EntryKind kind, JsonRpcRequest request, McpContext context) {
		String after = cursor(kind, request);
		List<Exposed> all = catalog.snapshot().list(kind);
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		ArrayNode items = result.putArray(kind.arrayKey());
		String last = null;
		boolean more = false;
		for (Exposed item : all) {
			if (after != null && item.exposedName().compareTo(after) <= 0) {
				continue;
			}
			boolean allowed = item.connectTool() ? policy.mayConnect(context.caller(), item.target())
					: policy.decide(context.caller(), item.target(), kind.id(), item.upstreamName(), null).allowed();
			if (!allowed) {
				continue;
			}
			if (items.size() == pageSize) {
				more = true;
				break;
			}
			items.add(item.definition());
			last = item.exposedName();
		}
		if (more && last != null) {
			result.put("nextCursor", Cursors.encode(kind, last));
		}
		return identity.decorate(result, context, true);
	}

	private static String cursor(EntryKind kind, JsonRpcRequest request) {
		JsonNode cursor = request.paramsOrEmpty().get("cursor");
		if (cursor == null || cursor.isNull()) {
			return null;
		}
		if (!cursor.isString()) {
			throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS, "Invalid cursor: it must be a string");
		}
		return Cursors.decode(kind, cursor.stringValue());
	}
}
