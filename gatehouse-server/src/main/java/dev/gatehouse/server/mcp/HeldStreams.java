package dev.gatehouse.server.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcNotification;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.CatalogListener;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.Threads;
import dev.gatehouse.server.upstream.TargetNotificationSink;
import dev.gatehouse.server.upstream.UpstreamClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The long-lived streams agents hold open for notifications that belong to no request: the GET stream of a
 * session (2025 revisions) and the {@code subscriptions/listen} stream (2026-07-28). A held stream costs no
 * thread: it is an asynchronous servlet response written by a small writer pool, each stream's messages in
 * order. Each message goes to exactly one stream of a session.
 */
@Component
final class HeldStreams implements CatalogListener, TargetNotificationSink, SmartInitializingSingleton, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(HeldStreams.class);

	static final String RESOURCE_UPDATED_EVENT = "resource.updated";

	/** Published by the OAuth broker when a consent that a session's call asked for completed. */
	static final String ELICITATION_COMPLETE_EVENT = "elicitation.complete";

	private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_PREFIX = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);

	private final Map<Long, Held> streams = new ConcurrentHashMap<>();

	private final AtomicInteger ids = new AtomicInteger();

	private final ExecutorService writers = Threads.perTask("gatehouse-stream-writer");

	private final JsonRpcCodec codec;

	private final Catalog catalog;

	private final UpstreamClient upstream;

	private final ClusterEvents cluster;

	private final McpSessions sessions;

	HeldStreams(JsonRpcCodec codec, Catalog catalog, UpstreamClient upstream, ClusterEvents cluster,
			McpSessions sessions, MeterRegistry meters) {
		this.codec = codec;
		this.catalog = catalog;
		this.upstream = upstream;
		this.cluster = cluster;
		this.sessions = sessions;
		Gauge.builder("gatehouse.mcp.held.streams", streams, Map::size)
			.description("Streams held open by agents for notifications")
			.register(meters);
	}

	@Override
	public void afterSingletonsInstantiated() {
		catalog.addListener(this);
		upstream.addNotificationSink(this);
		cluster.subscribe(RESOURCE_UPDATED_EVENT, (payload) -> resourceUpdated(payload.get("uri").asString()));
		cluster.subscribe(ELICITATION_COMPLETE_EVENT, (payload) -> elicitationComplete(payload.get("session").asString(),
				payload.get("elicitationId").asString()));
	}

	/** What a held stream wants to receive. */
	record Filter(@Nullable String sessionKey, boolean tools, boolean prompts, boolean resources,
			Set<String> resourceUris, @Nullable JsonNode subscriptionId) {

		static Filter session(String sessionKey) {
			return new Filter(sessionKey, true, true, true, Set.of(), null);
		}

		boolean wants(EntryKind kind) {
			return switch (kind) {
				case TOOL -> tools;
				case PROMPT -> prompts;
				case RESOURCE, TEMPLATE -> resources;
			};
		}
	}

	/** Holds a stream open until the agent closes it; {@code first} is written first (may be {@code null}). */
	void hold(AsyncContext async, Filter filter, @Nullable JsonRpcMessage first) {
		long id = ids.incrementAndGet();
		Held held = new Held(id, async, filter);
		streams.put(id, held);
		async.setTimeout(0);
		async.addListener(new AsyncListener() {
			@Override
			public void onComplete(AsyncEvent event) {
				streams.remove(id);
			}

			@Override
			public void onTimeout(AsyncEvent event) {
				held.close();
			}

			@Override
			public void onError(AsyncEvent event) {
				held.close();
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}
		});
		if (first != null) {
			held.enqueue(codec.write(first));
		}
		else {
			held.enqueue(null);
		}
	}

	/** Ends the streams of a session (it was deleted). */
	void endSession(String sessionKey) {
		for (Held held : streams.values()) {
			if (sessionKey.equals(held.filter.sessionKey())) {
				held.close();
			}
		}
	}

	@Override
	public void onCatalogChanged(Set<EntryKind> kinds) {
		for (EntryKind kind : kinds) {
			String method = switch (kind) {
				case TOOL -> "notifications/tools/list_changed";
				case PROMPT -> "notifications/prompts/list_changed";
				case RESOURCE, TEMPLATE -> "notifications/resources/list_changed";
			};
			deliver((held) -> held.filter.wants(kind), method, null);
		}
	}

	@Override
	public void onTargetNotification(String target, String scope, JsonRpcNotification notification) {
		if (notification.method().equals("notifications/resources/updated") && notification.params() != null
				&& notification.params().get("uri") != null) {
			String exposed = catalog.snapshot().exposeUri(target, notification.params().get("uri").asString());
			ObjectNode payload = JsonNodeFactory.instance.objectNode();
			payload.put("uri", exposed);
			cluster.publish(RESOURCE_UPDATED_EVENT, payload);
		}
	}

	private void resourceUpdated(String uri) {
		if (streams.isEmpty()) {
			return;
		}
		Set<String> subscribed = new HashSet<>(sessions.subscribers(uri));
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("uri", uri);
		deliver((held) -> (held.filter.sessionKey() != null && subscribed.contains(held.filter.sessionKey()))
				|| held.filter.resourceUris().contains(uri), "notifications/resources/updated", params);
	}

	/**
	 * Tells the session whose call asked for a consent that it completed ({@code notifications/elicitation/complete},
	 * MCP 2025-11-25), and no other session.
	 */
	private void elicitationComplete(String sessionKey, String elicitationId) {
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("elicitationId", elicitationId);
		deliver((held) -> sessionKey.equals(held.filter.sessionKey()), "notifications/elicitation/complete", params);
	}

	/** Sends a notification to every matching stream, one stream per session. */
	private void deliver(java.util.function.Predicate<Held> matches, String method, @Nullable ObjectNode params) {
		Set<String> sessionsServed = new HashSet<>();
		List<Held> targets = new ArrayList<>(streams.values());
		targets.sort((a, b) -> Long.compare(b.id, a.id));
		for (Held held : targets) {
			if (!matches.test(held)) {
				continue;
			}
			String key = held.filter.sessionKey();
			if (key != null && !sessionsServed.add(key)) {
				continue;
			}
			ObjectNode p = (params != null) ? params.deepCopy() : null;
			if (held.filter.subscriptionId() != null) {
				p = (p != null) ? p : JsonNodeFactory.instance.objectNode();
				p.putObject("_meta").set("io.modelcontextprotocol/subscriptionId", held.filter.subscriptionId());
			}
			held.enqueue(codec.write(new JsonRpcNotification(method, p)));
		}
	}

	@Scheduled(fixedDelayString = "${gatehouse.mcp.keep-alive-interval:25s}")
	void keepAlive() {
		for (Held held : streams.values()) {
			held.enqueueRaw(KEEP_ALIVE);
		}
	}

	int size() {
		return streams.size();
	}

	Collection<Long> ids() {
		return streams.keySet();
	}

	private volatile boolean running;

	@Override
	public void start() {
		running = true;
	}

	/**
	 * Ends every held stream before the web server's graceful shutdown waits for open requests: agents reconnect
	 * (to another instance), instead of the shutdown waiting for streams that never end.
	 */
	@Override
	public void stop() {
		running = false;
		streams.values().forEach(Held::close);
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	@PreDestroy
	void close() {
		streams.values().forEach(Held::close);
		writers.shutdown();
	}

	/** One held stream: a queue drained in order by at most one writer at a time. */
	private final class Held {

		final long id;

		final AsyncContext async;

		final Filter filter;

		private final Queue<byte[]> queue = new ArrayDeque<>();

		private final AtomicBoolean scheduled = new AtomicBoolean();

		private volatile boolean closed;

		Held(long id, AsyncContext async, Filter filter) {
			this.id = id;
			this.async = async;
			this.filter = filter;
		}

		void enqueue(byte @Nullable [] json) {
			if (json == null) {
				enqueueRaw(KEEP_ALIVE);
				return;
			}
			byte[] event = new byte[EVENT_PREFIX.length + json.length + 2];
			System.arraycopy(EVENT_PREFIX, 0, event, 0, EVENT_PREFIX.length);
			System.arraycopy(json, 0, event, EVENT_PREFIX.length, json.length);
			event[event.length - 2] = '\n';
			event[event.length - 1] = '\n';
			enqueueRaw(event);
		}

		void enqueueRaw(byte[] bytes) {
			if (closed) {
				return;
			}
			synchronized (queue) {
				queue.add(bytes);
			}
			if (scheduled.compareAndSet(false, true)) {
				writers.execute(this::drain);
			}
		}

		private void drain() {
			try {
				while (true) {
					byte[] next;
					synchronized (queue) {
						next = queue.poll();
						if (next == null) {
							scheduled.set(false);
							return;
						}
					}
					write(next);
				}
			}
			catch (RuntimeException ex) {
				scheduled.set(false);
				close();
			}
		}

		private void write(byte[] bytes) {
			if (closed) {
				return;
			}
			try {
				ServletOutputStream out = async.getResponse().getOutputStream();
				out.write(bytes);
				out.flush();
			}
			catch (IOException | IllegalStateException ex) {
				close();
			}
		}

		void close() {
			if (closed) {
				return;
			}
			closed = true;
			streams.remove(id);
			try {
				async.complete();
			}
			catch (IllegalStateException ex) {
				logger.trace("Stream {} already completed", id);
			}
		}
	}
}
