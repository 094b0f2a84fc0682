package dev.gatehouse.server.catalog;

import java.util.Objects;

import tools.jackson.databind.node.ObjectNode;

/**
 * One tool, prompt, resource or template as agents see it: the exposed name (or URI), the target and upstream
 * name it maps back to, and the definition to list (the upstream's, with the name or URI replaced).
 *
 * @param kind what it is
 * @param exposedName the name or URI agents use
 * @param target the target's name
 * @param upstreamName the name or URI the target uses
 * @param definition the definition agents see; never modify it
 * @param connectTool whether this is the gateway's own "connect" tool of a per-user OAuth target whose tools are not
 * known yet (nobody has connected it): calling it starts the user's consent, and no upstream is called
 */
public record Exposed(EntryKind kind, String exposedName, String target, String upstreamName, ObjectNode definition,
		boolean connectTool) {

	/** The upstream-side name of a connect tool; never sent to a target. */
	public static final String CONNECT = "connect";

	public Exposed(EntryKind kind, String exposedName, String target, String upstreamName, ObjectNode definition) {
		this(kind, exposedName, target, upstreamName, definition, false);
	}

	public Exposed {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(exposedName, "exposedName must not be null");
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(upstreamName, "upstreamName must not be null");
		Objects.requireNonNull(definition, "definition must not be null");
	}
}
