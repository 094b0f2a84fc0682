package dev.gatehouse.server.audit;

import java.util.HashSet;
import java.util.Set;

import dev.gatehouse.core.audit.ArgumentsRedaction;
import dev.gatehouse.server.config.GatehouseProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Which tool calls keep their arguments in the audit trail ({@code gatehouse.audit.arguments.targets}), redacted
 * ({@code gatehouse.audit.arguments.redact}). Every other call keeps only the arguments' digest.
 */
@Component
public final class AuditArguments {

	private final Set<String> targets;

	private final ArgumentsRedaction redaction;

	AuditArguments(GatehouseProperties properties) {
		GatehouseProperties.AuditArguments config = properties.audit().arguments();
		this.targets = Set.copyOf(config.targets());
		this.redaction = new ArgumentsRedaction(new HashSet<>(config.redact()), config.maxChars());
	}

	/** The redacted arguments to record for a call to {@code target}, or {@code null} if the target did not opt in. */
	public @Nullable String recordable(@Nullable String target, @Nullable JsonNode arguments) {
		return (target != null && targets.contains(target)) ? redaction.apply(arguments) : null;
	}
}
