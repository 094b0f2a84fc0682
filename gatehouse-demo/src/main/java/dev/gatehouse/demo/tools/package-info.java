/**
 * The plain demo upstream "demo-tools": a few small, deterministic tools ({@code echo},
 * {@code add}, {@code current_time}, {@code word_count}, {@code slow_countdown}), the
 * resource {@code demo://readme} and the prompt {@code summarize}. No authentication.
 *
 * <p>
 * Entry point: {@link dev.gatehouse.demo.tools.DemoToolsServer}.
 *
 * @see <a href=
 * "https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP tools</a>
 */
@NullMarked
package dev.gatehouse.demo.tools;

import org.jspecify.annotations.NullMarked;
