/**
 * The OAuth 2.0 client side of the gateway as values and rules, with no I/O: PKCE (RFC 7636), authorization
 * requests with resource indicators (RFC 8707), token responses (RFC 6749 §5), authorization server metadata
 * (RFC 8414, OpenID Connect Discovery), protected resource metadata (RFC 9728), bearer challenges (RFC 6750 §3)
 * and dynamic client registration responses (RFC 7591). The server's {@code credentials} package does the HTTP.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization">MCP authorization</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9700">RFC 9700, OAuth 2.0 Security Best Current Practice</a>
 */
@NullMarked
package dev.gatehouse.core.oauth;

import org.jspecify.annotations.NullMarked;
