package dev.gatehouse.core.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.gatehouse.core.access.Decision;
import org.jspecify.annotations.Nullable;

/**
 * One {@code tools/call} as the audit trail records it.
 *
 * @param at when the call arrived
 * @param issuer the caller's issuer
 * @param subject the caller's subject
 * @param clientId the caller's OAuth client, or {@code null}
 * @param session a short, non-secret id of the MCP session, or {@code null} for a stateless call
 * @param tool the exposed tool name the agent asked for
 * @param target the target it resolved to, or {@code null} when it resolved to none
 * @param upstreamTool the upstream tool name, or {@code null}
 * @param decision the access decision, or {@code null} when the tool did not resolve
 * @param outcome what happened
 * @param upstreamStatus the HTTP status of the upstream call, or 0 when none was made
 * @param latency the time from arrival to the final answer
 * @param upstreamLatency the part of {@code latency} spent waiting for the target (zero when none was called)
 * @param argumentsDigest {@code sha256:<hex>} of the canonical JSON arguments
 * @param detail a short non-secret explanation of an error, or {@code null}
 * @param arguments the call's arguments as JSON with configured keys redacted, only for targets whose arguments
 * are recorded; else {@code null}
 */
public record ToolCallRecord(Instant at, String issuer, String subject, @Nullable String clientId,
		@Nullable String session, String tool, @Nullable String target, @Nullable String upstreamTool,
		@Nullable Decision decision, Outcome outcome, int upstreamStatus, Duration latency, Duration upstreamLatency,
		String argumentsDigest, @Nullable String detail, @Nullable String arguments) {

	/** How a tool call ended. */
	public enum Outcome {

		/** The upstream answered with a result. */
		SUCCESS,
		/** The upstream answered with a result marked {@code isError}. */
		TOOL_ERROR,
		/** The tool does not exist. */
		UNKNOWN_TOOL,
		/** The policy denied it. */
		DENIED,
		/** The user must authorise the target first. */
		AUTHORIZATION_REQUIRED,
		/** The upstream failed: unreachable, timed out, or answered with an error or garbage. */
		UPSTREAM_ERROR,
		/** The agent cancelled it. */
		CANCELLED,
		/**
		 * The gateway stopped (a crash, a kill) while the call was at the target: whether the target ran it is
		 * unknown. Only in records recovered from a call's mark, never in a call's own record.
		 */
		INTERRUPTED

	}

	public ToolCallRecord {
		Objects.requireNonNull(at, "at must not be null");
		Objects.requireNonNull(issuer, "issuer must not be null");
		Objects.requireNonNull(subject, "subject must not be null");
		Objects.requireNonNull(tool, "tool must not be null");
		Objects.requireNonNull(outcome, "outcome must not be null");
		Objects.requireNonNull(latency, "latency must not be null");
		Objects.requireNonNull(upstreamLatency, "upstreamLatency must not be null");
		Objects.requireNonNull(argumentsDigest, "argumentsDigest must not be null");
	}
}
