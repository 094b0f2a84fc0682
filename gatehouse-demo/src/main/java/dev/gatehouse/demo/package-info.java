/**
 * Demo upstream MCP servers for Gatehouse: the command-line entry point
 * {@link dev.gatehouse.demo.DemoMain} that starts them for {@code ./gatehouse demo} and
 * for scripts.
 *
 * <p>
 * The servers themselves live in capability packages: {@code host} (embedded Tomcat
 * around an SDK server), {@code tools} (the plain "demo-tools" target), {@code risk} (the
 * API-key protected "risk-assessment-mcp" target) and {@code conformance} (the fixture
 * the official MCP conformance suite expects).
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25">MCP
 * specification 2025-11-25</a>
 */
@NullMarked
package dev.gatehouse.demo;

import org.jspecify.annotations.NullMarked;
