package dev.gatehouse.server.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.gatehouse.core.target.Target;
import dev.gatehouse.server.credentials.UpstreamCredential;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request to a target.
 *
 * @param target the target
 * @param credential what to authenticate with
 * @param method the MCP method
 * @param params its parameters, or {@code null}; never modified
 * @param agentProgressToken the agent's {@code progressToken}, or {@code null}: progress notifications for the
 * call come back with it
 * @param idleTimeout how long the target may stay silent
 * @param deadline when the call is given up whatever the progress
 * @param listener receives notifications and server→client requests about the call
 * @param cancellation set when the agent cancels
 */
public record UpstreamCall(Target target, UpstreamCredential credential, String method, @Nullable ObjectNode params,
		@Nullable JsonNode agentProgressToken, Duration idleTimeout, Instant deadline, UpstreamListener listener,
		CancellationSignal cancellation) {

	public UpstreamCall {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(credential, "credential must not be null");
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(idleTimeout, "idleTimeout must not be null");
		Objects.requireNonNull(deadline, "deadline must not be null");
		Objects.requireNonNull(listener, "listener must not be null");
		Objects.requireNonNull(cancellation, "cancellation must not be null");
	}
}
