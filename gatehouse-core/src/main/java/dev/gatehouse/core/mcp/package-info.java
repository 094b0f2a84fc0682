/**
 * MCP protocol values that do not depend on a transport: revisions and their rules, client capabilities,
 * and the reversible naming of aggregated tools, prompts and resources.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25">MCP 2025-11-25</a>
 */
@NullMarked
package dev.gatehouse.core.mcp;

import org.jspecify.annotations.NullMarked;
