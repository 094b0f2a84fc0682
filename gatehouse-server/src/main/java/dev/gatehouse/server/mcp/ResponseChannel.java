package dev.gatehouse.server.mcp;

import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;

/**
 * Where the answer to one request goes, with the messages that precede it. Implementations are thread-safe.
 */
interface ResponseChannel {

	/** Runs {@code action} once if the agent goes away before the answer. */
	void onBroken(Runnable action);

	boolean isBroken();

	boolean isCompleted();

	/** A message before the answer (progress, logging, a server→client request). */
	void send(JsonRpcMessage message);

	/** Keeps a long wait alive and detects an agent that left. */
	void keepAlive();

	/** The answer; the response ends. */
	void complete(JsonRpcResponse answer, int httpStatus);

	default void complete(JsonRpcResponse answer) {
		complete(answer, 200);
	}

}
