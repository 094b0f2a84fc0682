/**
 * JSON-RPC 2.0 as MCP uses it: the message records, the closed vocabulary of error codes, and a codec
 * that validates a message and names what is wrong with it.
 *
 * @see <a href="https://www.jsonrpc.org/specification">JSON-RPC 2.0</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic">MCP base protocol</a>
 */
@NullMarked
package dev.gatehouse.core.jsonrpc;

import org.jspecify.annotations.NullMarked;
