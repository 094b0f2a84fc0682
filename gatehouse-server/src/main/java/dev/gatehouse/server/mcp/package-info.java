/**
 * Steps 2 and 7 of the tool-call path: the agent-facing Streamable HTTP endpoint {@code /mcp}. It validates
 * every transport rule (Origin, Host, Accept, Content-Type, body size, protocol version, session), speaks the
 * session-based revisions 2025-03-26, 2025-06-18 and 2025-11-25 and the stateless 2026-07-28, dispatches each
 * JSON-RPC message, and relays upstream results, progress, logging and server→client requests. Sessions are
 * sealed into their ids, so any instance sharing the database serves any session. See {@code README.md} in
 * this package.
 */
@NullMarked
package dev.gatehouse.server.mcp;

import org.jspecify.annotations.NullMarked;
