package dev.gatehouse.server.mcp;

import java.util.Objects;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway knows about one request from an agent.
 *
 * @param caller who is calling
 * @param version the revision in use
 * @param capabilities what the agent can answer
 * @param session the MCP session, or {@code null} for a stateless (2026-07-28) request
 * @param logLevel the per-request log level of a 2026-07-28 request, or {@code null}
 * @param telemetry when the request arrived, its wait for targets and the agent's trace context
 */
record McpContext(Caller caller, ProtocolVersion version, ClientCapabilities capabilities,
		@Nullable McpSession session, @Nullable String logLevel, RequestTelemetry telemetry) {

	McpContext {
		Objects.requireNonNull(caller, "caller must not be null");
		Objects.requireNonNull(version, "version must not be null");
		Objects.requireNonNull(capabilities, "capabilities must not be null");
		Objects.requireNonNull(telemetry, "telemetry must not be null");
	}

	/** When the request arrived ({@link System#nanoTime()}). */
	long startNanos() {
		return telemetry.startNanos();
	}

	boolean stateless() {
		return version.isStateless();
	}

	/** A non-secret session identifier for the audit trail, or {@code null}. */
	@Nullable String sessionKey() {
		return (session != null) ? session.key() : null;
	}
}
