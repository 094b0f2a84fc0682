package dev.gatehouse.server.catalog;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How the last synchronisation of a target went.
 *
 * @param target the target
 * @param status {@code ok}, {@code failed} or {@code pending}
 * @param message why it failed or is pending, or {@code null}
 * @param syncedAt the last successful synchronisation, or {@code null}
 * @param attemptedAt the last attempt
 */
public record SyncStatus(String target, String status, @Nullable String message, @Nullable Instant syncedAt,
		Instant attemptedAt) {
}
