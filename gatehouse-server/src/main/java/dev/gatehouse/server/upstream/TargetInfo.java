package dev.gatehouse.server.upstream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a target said about itself in its {@code initialize} answer.
 *
 * @param protocolVersion the negotiated revision
 * @param capabilities its server capabilities
 * @param serverInfo its implementation info, or {@code null}
 * @param instructions its instructions, or {@code null}
 * @param legacyTransport whether it speaks only the 2024-11-05 HTTP+SSE transport
 */
public record TargetInfo(String protocolVersion, ObjectNode capabilities, @Nullable ObjectNode serverInfo,
		@Nullable String instructions, boolean legacyTransport) {

	/** Whether the target declared a capability, such as {@code prompts}. */
	public boolean has(String capability) {
		return capabilities.get(capability) != null && capabilities.get(capability).isObject();
	}
}
