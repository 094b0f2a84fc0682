package dev.gatehouse.server.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.core.audit.ToolCallRecord;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Writes audit records as JSON lines to the logger {@code gatehouse.audit}, from a bounded queue drained by
 * one background thread, so a slow log never slows a tool call. If the queue is full the record is logged
 * synchronously rather than dropped. After writing, each record goes to every {@link AuditListener}.
 */
@Component
final class LogAuditTrail implements AuditTrail {

	private static final Logger audit = LoggerFactory.getLogger("gatehouse.audit");

	private static final Logger logger = LoggerFactory.getLogger(LogAuditTrail.class);

	private final JsonMapper json = JsonMapper.builder().build();

	private final BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(10_000);

	private final AtomicLong overflows = new AtomicLong();

	private final Thread writer;

	private final java.time.Clock clock;

	private final ObjectProvider<AuditListener> listeners;

	LogAuditTrail(java.time.Clock clock, ObjectProvider<AuditListener> listeners) {
		this.clock = clock;
		this.listeners = listeners;
		this.writer = new Thread(this::drain, "gatehouse-audit");
		this.writer.setDaemon(true);
		this.writer.start();
	}

	@Override
	public void record(ToolCallRecord r) {
		ObjectNode node = json.createObjectNode();
		node.put("type", "tool_call");
		node.put("at", r.at().toString());
		node.put("issuer", r.issuer());
		node.put("subject", r.subject());
		putIfPresent(node, "client_id", r.clientId());
		putIfPresent(node, "session", r.session());
		node.put("tool", r.tool());
		putIfPresent(node, "target", r.target());
		putIfPresent(node, "upstream_tool", r.upstreamTool());
		if (r.decision() != null) {
			node.put("decision", r.decision().effect().name().toLowerCase(java.util.Locale.ROOT));
			node.put("rule", r.decision().rule());
			node.put("reason", r.decision().reason());
		}
		node.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
		if (r.upstreamStatus() != 0) {
			node.put("upstream_status", r.upstreamStatus());
		}
		node.put("latency_us", r.latency().toNanos() / 1000);
		node.put("upstream_latency_us", r.upstreamLatency().toNanos() / 1000);
		node.put("arguments_digest", r.argumentsDigest());
		putIfPresent(node, "detail", r.detail());
		putIfPresent(node, "arguments", r.arguments());
		offer(node);
	}

	@Override
	public void event(String type, Map<String, ?> fields) {
		ObjectNode node = json.createObjectNode();
		node.put("type", type);
		node.put("at", clock.instant().toString());
		new LinkedHashMap<>(fields).forEach((k, v) -> node.putPOJO(k, v));
		offer(node);
	}

	private void offer(ObjectNode node) {
		if (!queue.offer(node)) {
			if (overflows.incrementAndGet() % 1000 == 1) {
				logger.warn("The audit queue is full; writing records synchronously ({} so far)", overflows.get());
			}
			write(node);
		}
	}

	@Override
	public int queueDepth() {
		return queue.size();
	}

	private void drain() {
		try {
			while (true) {
				write(queue.take());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@PreDestroy
	void flush() {
		ObjectNode node;
		while ((node = queue.poll()) != null) {
			write(node);
		}
		writer.interrupt();
	}

	private void write(ObjectNode node) {
		audit.info(json.writeValueAsString(node));
		Map<String, Object> fields = new LinkedHashMap<>();
		node.properties().forEach((e) -> {
			if (!e.getKey().equals("type") && !e.getKey().equals("at")) {
				JsonNode v = e.getValue();
				fields.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? (Object) v.booleanValue()
						: v.isString() ? v.asString() : v.toString());
			}
		});
		AuditEvent event = new AuditEvent(0, java.time.Instant.parse(node.get("at").asString()),
				node.get("type").asString(), fields);
		listeners.orderedStream().forEach((listener) -> {
			try {
				listener.onAudit(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Audit listener {} failed on a {} record: {}", listener.getClass().getSimpleName(),
						event.type(), ex.toString());
			}
		});
	}

	private static void putIfPresent(ObjectNode node, String name, @org.jspecify.annotations.Nullable String value) {
		if (value != null) {
			node.put(name, value);
		}
	}
}
