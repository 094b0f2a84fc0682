package dev.gatehouse.demo.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.jspecify.annotations.Nullable;

/**
 * The caller of a bearer-protected {@link McpServerHost}, taken from the verified access
 * token of the current HTTP request and handed to the MCP server through the SDK's
 * transport context ({@code exchange.transportContext().get(CONTEXT_KEY)}).
 *
 * <p>
 * {@link #echo(SyncToolSpecification)} wraps a tool so that each of its results carries
 * the caller in {@code _meta} under {@value #META_KEY}: a test behind a gateway can then
 * see whom the upstream server believed it was serving.
 *
 * @param subject the token's {@code sub}
 * @param clientId the token's {@code client_id}, if any
 * @param scope the token's {@code scope}, space-separated, if any
 */
public record BearerCaller(String subject, @Nullable String clientId, @Nullable String scope) {

	/** The key of the caller in the SDK's transport context. */
	public static final String CONTEXT_KEY = BearerCaller.class.getName();

	/** The {@code _meta} key of the echo in tool results. */
	public static final String META_KEY = "dev.gatehouse.demo/caller";

	/**
	 * Checks the subject.
	 * @param subject not null
	 * @param clientId may be null
	 * @param scope may be null
	 */
	public BearerCaller {
		Objects.requireNonNull(subject, "subject must not be null");
	}

	/**
	 * The caller of the request a handler serves.
	 * @param context the exchange's transport context
	 * @return the caller, empty when the host checks no bearer tokens
	 */
	public static Optional<BearerCaller> from(McpTransportContext context) {
		Object caller = context.get(CONTEXT_KEY);
		return (caller instanceof BearerCaller bearerCaller) ? Optional.of(bearerCaller) : Optional.empty();
	}

	/**
	 * The echo: {@code {"sub": .., "client_id": .., "scope": ..}}, without absent members.
	 * @return a new mutable map
	 */
	public Map<String, Object> toMeta() {
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("sub", this.subject);
		if (this.clientId != null) {
			meta.put("client_id", this.clientId);
		}
		if (this.scope != null) {
			meta.put("scope", this.scope);
		}
		return meta;
	}

	/**
	 * Wraps a tool so that its results carry the caller in {@code _meta} under
	 * {@value #META_KEY} (next to any {@code _meta} the tool sets). Without a caller
	 * (no bearer tokens) the results are unchanged.
	 * @param tool the tool
	 * @return the wrapped tool
	 */
	public static SyncToolSpecification echo(SyncToolSpecification tool) {
		Objects.requireNonNull(tool, "tool must not be null");
		return SyncToolSpecification.builder().tool(tool.tool()).callHandler((exchange, request) -> {
			CallToolResult result = tool.callHandler().apply(exchange, request);
			Optional<BearerCaller> caller = from(exchange.transportContext());
			if (caller.isEmpty()) {
				return result;
			}
			Map<String, Object> meta = (result.meta() != null) ? new LinkedHashMap<>(result.meta())
					: new LinkedHashMap<>();
			meta.put(META_KEY, caller.get().toMeta());
			return new CallToolResult(result.content(), result.isError(), result.structuredContent(), meta);
		}).build();
	}

}
