package dev.gatehouse.server.catalog;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A definition that changed between two synchronisations: a silently changed tool description is how a
 * compromised server turns a trusted tool against its users ("rug pull").
 *
 * @param id the record id
 * @param target the target
 * @param kind what changed
 * @param name its upstream name
 * @param change {@code changed}, {@code added} or {@code removed}
 * @param oldHash the hash before, or {@code null} when added
 * @param newHash the hash after, or {@code null} when removed
 * @param oldDefinition the definition before, or {@code null}
 * @param newDefinition the definition after, or {@code null}
 * @param detectedAt when the gateway noticed
 */
public record CatalogDrift(long id, String target, EntryKind kind, String name, String change,
		@Nullable String oldHash, @Nullable String newHash, @Nullable JsonNode oldDefinition,
		@Nullable JsonNode newDefinition, Instant detectedAt) {
}
