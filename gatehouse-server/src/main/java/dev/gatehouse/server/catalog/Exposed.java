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
 */
public record Exposed(EntryKind kind, String exposedName, String target, String upstreamName, ObjectNode definition) {

	public Exposed {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(exposedName, "exposedName must not be null");
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(upstreamName, "upstreamName must not be null");
		Objects.requireNonNull(definition, "definition must not be null");
	}
}
