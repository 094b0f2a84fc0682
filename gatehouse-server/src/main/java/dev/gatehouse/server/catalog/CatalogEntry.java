package dev.gatehouse.server.catalog;

import java.time.Instant;
import java.util.Objects;

import tools.jackson.databind.node.ObjectNode;

/**
 * One thing a target offers, as last read from it.
 *
 * @param target the target's name
 * @param kind tool, prompt, resource or template
 * @param name the upstream name, URI or URI template
 * @param definition the upstream JSON object, unchanged
 * @param hash the hex SHA-256 of its canonical JSON
 * @param firstSeen when the gateway first saw it
 * @param lastChanged when its definition last changed
 */
public record CatalogEntry(String target, EntryKind kind, String name, ObjectNode definition, String hash,
		Instant firstSeen, Instant lastChanged) {

	public CatalogEntry {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(definition, "definition must not be null");
		Objects.requireNonNull(hash, "hash must not be null");
	}
}
