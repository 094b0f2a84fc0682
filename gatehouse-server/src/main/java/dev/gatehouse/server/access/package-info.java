/**
 * Inbound access: authenticating the caller of {@code /mcp} and the admin API into a
 * {@link dev.gatehouse.core.access.Caller}, and deciding what that caller may see and call.
 */
@NullMarked
package dev.gatehouse.server.access;

import org.jspecify.annotations.NullMarked;
