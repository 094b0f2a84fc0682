package dev.gatehouse.demo.host;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;

/**
 * Defines a reactive MCP server: the asynchronous twin of {@link SyncServerDefinition}.
 *
 * <p>
 * Implementations must call {@code build()} on the given specification itself: only that
 * one is connected to the host's servlet.
 *
 * @see McpServerHost.Builder#asyncServer(AsyncServerDefinition)
 */
@FunctionalInterface
public interface AsyncServerDefinition {

	/**
	 * Builds the server on the given specification.
	 * @param specification the transport-bound specification, never {@code null}
	 * @return the server built from {@code specification}
	 */
	McpAsyncServer build(McpServer.AsyncSpecification<?> specification);

}
