package dev.gatehouse.server.mcp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.core.jsonrpc.JsonRpcId;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.upstream.CancellationSignal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The requests of each session that are still running, so that {@code notifications/cancelled} can stop them
 * whichever instance it reaches: the local call is cancelled at once, and the cancellation is announced to
 * the other instances. Unknown or finished ids are ignored, as the specification allows.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/cancellation">
 * Cancellation</a>
 */
@Component
final class InFlightCalls implements InitializingBean {

	static final String EVENT = "request.cancelled";

	private final Map<String, CancellationSignal> calls = new ConcurrentHashMap<>();

	private final ClusterEvents cluster;

	InFlightCalls(ClusterEvents cluster) {
		this.cluster = cluster;
	}

	@Override
	public void afterPropertiesSet() {
		cluster.subscribe(EVENT, (payload) -> cancelLocal(payload.get("key").asString()));
	}

	/** Tracks a call; the returned handle must be closed when it ends. */
	Registration register(String sessionKey, JsonRpcId id, CancellationSignal signal) {
		String key = key(sessionKey, id);
		calls.put(key, signal);
		return () -> calls.remove(key, signal);
	}

	/** Cancels the call {@code requestId} of a session, here or on another instance. */
	void cancel(String sessionKey, JsonNode requestId) {
		JsonRpcId id;
		if (requestId.isString()) {
			id = JsonRpcId.of(requestId.stringValue());
		}
		else if (requestId.isIntegralNumber() && requestId.canConvertToLong()) {
			id = JsonRpcId.of(requestId.longValue());
		}
		else {
			return;
		}
		String key = key(sessionKey, id);
		if (!cancelLocal(key)) {
			ObjectNode payload = JsonNodeFactory.instance.objectNode();
			payload.put("key", key);
			cluster.publish(EVENT, payload);
		}
	}

	private boolean cancelLocal(String key) {
		CancellationSignal signal = calls.remove(key);
		if (signal != null) {
			signal.cancel();
			return true;
		}
		return false;
	}

	private static String key(String sessionKey, JsonRpcId id) {
		return sessionKey + "|" + (id.isString() ? "s:" : "n:") + id.value();
	}

	/** Stops tracking a call. */
	interface Registration extends AutoCloseable {

		@Override
		void close();

	}
}
