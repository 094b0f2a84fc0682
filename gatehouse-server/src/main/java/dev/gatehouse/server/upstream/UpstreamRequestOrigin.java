package dev.gatehouse.server.upstream;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where a server→client request came from, so that its answer can be sent back from any gateway instance.
 *
 * @param target the target name
 * @param scope the credential scope of the upstream session
 * @param sessionId the upstream MCP session id, or {@code null} for a target without sessions
 * @param legacy whether the session uses the 2024-11-05 HTTP+SSE transport (answers go to its message URL)
 */
public record UpstreamRequestOrigin(String target, String scope, @Nullable String sessionId, boolean legacy) {

	public UpstreamRequestOrigin {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(scope, "scope must not be null");
	}
}
