/**
 * Hosting of MCP servers built with the MCP Java SDK on an embedded Tomcat bound to the
 * loopback interface.
 *
 * <p>
 * {@link dev.gatehouse.demo.host.McpServerHost} is the only entry point: the caller
 * supplies the SDK server definition
 * ({@link dev.gatehouse.demo.host.SyncServerDefinition} or
 * {@link dev.gatehouse.demo.host.AsyncServerDefinition}); the host chooses the transport
 * (Streamable HTTP, or the legacy HTTP+SSE transport of protocol revision 2024-11-05),
 * the Host/Origin validation and an optional guard that runs before any request reaches
 * the SDK: an API key, or OAuth 2.0 bearer tokens
 * ({@link dev.gatehouse.demo.host.BearerTokenSettings}: RFC 9728 metadata, RFC 6750
 * challenges, per-tool scopes; the verified {@link dev.gatehouse.demo.host.BearerCaller}
 * in the SDK's transport context; {@link dev.gatehouse.demo.host.ObservedToken} records
 * for tests).
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/transports">MCP
 * transports</a>
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP
 * authorization</a>
 */
@NullMarked
package dev.gatehouse.demo.host;

import org.jspecify.annotations.NullMarked;
