package dev.gatehouse.server.mcp;

import java.time.Duration;
import java.util.stream.Collectors;

import dev.gatehouse.server.catalog.CatalogSnapshot;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.GatehouseVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * What the gateway says about itself: server info, capabilities, instructions, and the decorations every
 * 2026-07-28 result carries ({@code resultType}, server info in {@code _meta}, caching hints on lists).
 */
@Component
final class ServerIdentity {

	static final String SERVER_INFO_META = "io.modelcontextprotocol/serverInfo";

	private final ObjectNode serverInfo;

	private final TargetRegistry registry;

	private final Duration listTtl;

	private final String separator;

	ServerIdentity(TargetRegistry registry, GatehouseProperties properties) {
		this.registry = registry;
		this.listTtl = properties.mcp().listTtl();
		this.separator = properties.mcp().toolSeparator();
		this.serverInfo = JsonNodeFactory.instance.objectNode();
		serverInfo.put("name", "gatehouse");
		serverInfo.put("title", "Gatehouse MCP gateway");
		serverInfo.put("version", GatehouseVersion.get());
		serverInfo.put("websiteUrl", properties.publicUrl().toString());
	}

	ObjectNode serverInfo() {
		return serverInfo.deepCopy();
	}

	/** The capabilities the gateway offers agents: what it aggregates, and logging and completion relays. */
	ObjectNode capabilities(boolean stateless) {
		ObjectNode caps = JsonNodeFactory.instance.objectNode();
		caps.putObject("tools").put("listChanged", true);
		caps.putObject("prompts").put("listChanged", true);
		ObjectNode resources = caps.putObject("resources");
		resources.put("subscribe", true);
		resources.put("listChanged", true);
		if (!stateless) {
			caps.putObject("logging");
		}
		caps.putObject("completions");
		return caps;
	}

	/** Instructions for the agent: what the gateway aggregates and how names are formed. */
	String instructions(CatalogSnapshot snapshot) {
		String targets = registry.all()
			.stream()
			.map(StoredTarget::target)
			.filter((t) -> t.enabled())
			.map((t) -> "- " + t.name() + ((t.description() != null) ? ": " + t.description() : ""))
			.collect(Collectors.joining("\n"));
		return "This is Gatehouse, an MCP gateway. Its tools, prompts and resources come from these servers:\n"
				+ (targets.isEmpty() ? "(none registered yet)" : targets)
				+ "\nTool and prompt names are {server}" + separator + "{name}; resource URIs are {server}+{uri}.";
	}

	/** Adds what a 2026-07-28 result must carry; does nothing for session-based revisions. */
	ObjectNode decorate(JsonNode result, McpContext context, boolean cacheable) {
		ObjectNode object = (result instanceof ObjectNode o) ? o : JsonNodeFactory.instance.objectNode();
		if (!context.stateless()) {
			return object;
		}
		if (!object.has("resultType")) {
			object.put("resultType", "complete");
		}
		JsonNode meta = object.get("_meta");
		ObjectNode metaObject = (meta instanceof ObjectNode m) ? m : object.putObject("_meta");
		metaObject.set(SERVER_INFO_META, serverInfo.deepCopy());
		if (cacheable) {
			object.put("ttlMs", listTtl.toMillis());
			object.put("cacheScope", "private");
		}
		return object;
	}
}
