/**
 * The outbound network policy. Every URL the gateway calls (target endpoints, and in later builds token,
 * revocation and metadata URLs) passes it: {@code https} only (plain {@code http} only to loopback, when
 * allowed), and no private, loopback, link-local or metadata address unless allowlisted. The check runs on the
 * resolved addresses inside the HTTP client's DNS resolver, so the address checked is the address connected
 * to (no time-of-check/time-of-use gap), and redirects are never followed.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices">MCP
 * security best practices: SSRF</a>
 */
@NullMarked
package dev.gatehouse.server.egress;

import org.jspecify.annotations.NullMarked;
