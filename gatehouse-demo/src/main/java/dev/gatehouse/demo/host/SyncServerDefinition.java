package dev.gatehouse.demo.host;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;

/**
 * Defines a synchronous MCP server: receives an SDK specification that is already bound
 * to the transport chosen by {@link McpServerHost} (and pre-filled with the host's server
 * name and version), registers capabilities, tools, resources and prompts on it and
 * returns the built server.
 *
 * <p>
 * Implementations must call {@code build()} on the given specification itself, not on a
 * specification they create: only that one is connected to the host's servlet.
 *
 * <pre>{@code
 * McpServerHost.builder()
 * 	.server(spec -> spec.capabilities(ServerCapabilities.builder().tools(true).build())
 * 		.tools(myTool)
 * 		.build())
 * 	.start();
 * }</pre>
 *
 * @see McpServerHost.Builder#server(SyncServerDefinition)
 */
@FunctionalInterface
public interface SyncServerDefinition {

	/**
	 * Builds the server on the given specification.
	 * @param specification the transport-bound specification, never {@code null}
	 * @return the server built from {@code specification}
	 */
	McpSyncServer build(McpServer.SyncSpecification<?> specification);

}
