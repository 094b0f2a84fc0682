/**
 * Step 6 of the tool-call path: MCP client sessions to targets over Streamable HTTP (and the 2024-11-05
 * HTTP+SSE transport for servers that only speak it), pooled per (target, credential scope), re-initialised
 * transparently when a target forgets a session, bounded by per-target timeouts, and routed through the
 * egress policy. See {@code README.md} in this package.
 */
@NullMarked
package dev.gatehouse.server.upstream;

import org.jspecify.annotations.NullMarked;
