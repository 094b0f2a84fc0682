package dev.gatehouse.core.jsonrpc;

import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 2.0 message.
 */
public sealed interface JsonRpcMessage permits JsonRpcRequest, JsonRpcNotification, JsonRpcResponse {

	/** The message as a JSON object, ready to write. */
	ObjectNode toJson();

}
