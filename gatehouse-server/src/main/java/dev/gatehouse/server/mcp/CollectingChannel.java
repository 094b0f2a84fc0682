package dev.gatehouse.server.mcp;

import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import org.jspecify.annotations.Nullable;

/**
 * A channel that keeps the answer for later, for the elements of a 2025-03-26 batch: their answers go back
 * together as one JSON array, so messages before each answer are dropped.
 */
final class CollectingChannel implements ResponseChannel {

	private volatile @Nullable JsonRpcResponse answer;

	@Override
	public void onBroken(Runnable action) {
	}

	@Override
	public boolean isBroken() {
		return false;
	}

	@Override
	public boolean isCompleted() {
		return answer != null;
	}

	@Override
	public void send(JsonRpcMessage message) {
	}

	@Override
	public void keepAlive() {
	}

	@Override
	public synchronized void complete(JsonRpcResponse response, int httpStatus) {
		if (answer == null) {
			answer = response;
		}
	}

	@Nullable JsonRpcResponse answer() {
		return answer;
	}
}
