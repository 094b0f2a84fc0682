package dev.gatehouse.server.catalog;

import java.time.Instant;
import java.util.Objects;

import dev.gatehouse.core.target.Target;

/**
 * A target as the registry holds it.
 *
 * @param target the validated definition
 * @param source {@code api} or {@code file}
 * @param revision increases with every change
 * @param createdAt when it was registered
 * @param updatedAt when it last changed
 */
public record StoredTarget(Target target, String source, long revision, Instant createdAt, Instant updatedAt) {

	public static final String SOURCE_API = "api";

	public static final String SOURCE_FILE = "file";

	public StoredTarget {
		Objects.requireNonNull(target, "target must not be null");
		Objects.requireNonNull(source, "source must not be null");
	}

	public String name() {
		return target.name();
	}
}
