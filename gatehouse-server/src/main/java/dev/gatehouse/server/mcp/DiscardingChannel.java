package dev.gatehouse.server.mcp;

import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;

/**
 * A channel for a request the gateway makes on an agent's behalf whose intermediate messages nobody reads
 * (such as subscribing at a target).
 */
final class DiscardingChannel implements ResponseChannel {

	private volatile boolean completed;

	@Override
	public void onBroken(Runnable action) {
	}

	@Override
	public boolean isBroken() {
		return false;
	}

	@Override
	public boolean isCompleted() {
		return completed;
	}

	@Override
	public void send(JsonRpcMessage message) {
	}

	@Override
	public void keepAlive() {
	}

	@Override
	public void complete(JsonRpcResponse answer, int httpStatus) {
		completed = true;
	}
}
