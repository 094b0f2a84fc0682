package dev.gatehouse.server.upstream;

import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;

/**
 * Receives what a target sends about one request before its answer: notifications (progress, logging) and
 * server→client requests (sampling, elicitation). Called on the thread that made the request.
 */
public interface UpstreamListener {

	/** A listener that ignores everything. */
	UpstreamListener NONE = new UpstreamListener() {
		@Override
		public void onNotification(JsonRpcNotification notification) {
		}

		@Override
		public void onRequest(JsonRpcRequest request, UpstreamRequestOrigin origin) {
		}
	};

	/** A notification about the request; progress tokens are already mapped back to the agent's. */
	void onNotification(JsonRpcNotification notification);

	/**
	 * A request from the target that someone must answer through {@link UpstreamClient#respond}; the origin
	 * says where the answer goes.
	 */
	void onRequest(JsonRpcRequest request, UpstreamRequestOrigin origin);

}
