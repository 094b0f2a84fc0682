/**
 * Targets: the upstream MCP servers the gateway aggregates, in the registry schema of the seed article
 * ({@code name}, {@code endpoint}, {@code auth.type}, {@code auth.authorizationUrl}, {@code auth.tokenUrl},
 * {@code auth.scopes}) with optional extensions, and the validation that names each field at fault.
 */
@NullMarked
package dev.gatehouse.core.target;

import org.jspecify.annotations.NullMarked;
