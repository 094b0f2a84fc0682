package dev.gatehouse.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.core.audit.ToolCallRecord;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.InstanceId;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The audit trail: records go into a bounded queue, one writer thread per instance appends them in batches to the
 * hash chain (under load, it lingers briefly so that batches are large: {@code gatehouse.audit.linger})
 * ({@link AuditStore}), then streams each one ({@link AuditStream}) and hands it to every {@link AuditListener}.
 *
 * <p>
 * A call's record is durable before its answer leaves: the request thread that queued it waits until the batch that
 * holds it commits (group commit: concurrent calls share one transaction), up to
 * {@code gatehouse.audit.durable-timeout}. A call that goes to a target is marked as under way first
 * ({@link #begin}); the mark rides with the next batch without being waited for, and is deleted by the transaction
 * that appends the call's record (both in one batch cost nothing). Security events never wait. ADR 0014.
 *
 * <p>
 * Nothing accepted is ever dropped: if the database fails, the writer retries the same batch with backoff while the
 * queue holds new records. When the queue is full, the configured overflow policy applies to new tool calls at
 * admission ({@link #admitToolCall()}: wait for room, or refuse at once), the gateway logs an error, and records
 * that still arrive (a call already running, a security event) wait for room.
 */
@Component
final class DatabaseAuditTrail implements AuditTrail, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseAuditTrail.class);

	private final AuditStore store;

	private final AuditStream stream;

	private final ObjectProvider<AuditListener> listeners;

	private final Clock clock;

	private final GatehouseProperties.Audit properties;

	private final BlockingQueue<AuditStore.Entry> queue;

	private final String instance;

	private final String callIdPrefix;

	private final AtomicLong calls = new AtomicLong();

	private final AtomicLong overflows = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private volatile @Nullable Thread writer;

	/**
	 * The listeners, resolved once when the writer starts (every singleton exists by then); before that, records
	 * written directly look them up each time. Resolving them per record cost about 2 % of a tool call's CPU.
	 */
	private volatile @Nullable List<AuditListener> resolvedListeners;

	private volatile boolean stopping;

	/** Marks of calls under way not written yet, oldest first; only the writer thread touches it. */
	private final Map<String, HeldMark> heldMarks = new LinkedHashMap<>();

	DatabaseAuditTrail(AuditStore store, AuditStream stream, ObjectProvider<AuditListener> listeners, Clock clock,
			GatehouseProperties properties, InstanceId instance) {
		this.store = store;
		this.instance = instance.value();
		this.callIdPrefix = instance + ":";
		this.stream = stream;
		this.listeners = listeners;
		this.clock = clock;
		this.properties = properties.audit();
		this.queue = new ArrayBlockingQueue<>(this.properties.queueCapacity());
	}

	@Override
	public void record(ToolCallRecord r, @Nullable CallMark call) {
		durably(new AuditEvent(0, r.at(), AuditEvent.TOOL_CALL, fields(r)), call);
	}

	@Override
	public CallMark begin(ToolCallRecord provisional) {
		return begin(new AuditEvent(0, provisional.at(), AuditEvent.TOOL_CALL, fields(provisional)));
	}

	@Override
	public CallMark begin(Instant at, Map<String, ?> provisional) {
		return begin(new AuditEvent(0, at, MCP_REQUEST, copy(provisional)));
	}

	@Override
	public void request(Instant at, Map<String, ?> fields, @Nullable CallMark call) {
		durably(new AuditEvent(0, at, MCP_REQUEST, copy(fields)), call);
	}

	private CallMark begin(AuditEvent provisional) {
		CallMark mark = new CallMark(callIdPrefix + calls.incrementAndGet());
		offer(AuditStore.Entry.start(provisional, mark.id()));
		return mark;
	}

	/** Queues a call's record and waits until the batch that holds it is committed. */
	private void durably(AuditEvent event, @Nullable CallMark call) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		offer(AuditStore.Entry.record(event, (call != null) ? call.id() : null, stored));
		try {
			stored.get(properties.durableTimeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.error("A {} record was not stored within {}: the call's answer is withheld (the record stays "
					+ "queued)", event.type(), properties.durableTimeout());
			throw AuditUnavailableException.notStored();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw AuditUnavailableException.notStored();
		}
	}

	private static Map<String, Object> fields(ToolCallRecord r) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("issuer", r.issuer());
		fields.put("subject", r.subject());
		putIfPresent(fields, "client_id", r.clientId());
		putIfPresent(fields, "session", r.session());
		fields.put("tool", r.tool());
		putIfPresent(fields, "target", r.target());
		putIfPresent(fields, "upstream_tool", r.upstreamTool());
		if (r.decision() != null) {
			fields.put("decision", r.decision().effect().name().toLowerCase(Locale.ROOT));
			fields.put("rule", r.decision().rule());
			fields.put("reason", r.decision().reason());
		}
		fields.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
		if (r.upstreamStatus() != 0) {
			fields.put("upstream_status", r.upstreamStatus());
		}
		fields.put("latency_us", r.latency().toNanos() / 1000);
		fields.put("upstream_latency_us", r.upstreamLatency().toNanos() / 1000);
		fields.put("arguments_digest", r.argumentsDigest());
		putIfPresent(fields, "detail", r.detail());
		putIfPresent(fields, "arguments", r.arguments());
		return fields;
	}

	private static Map<String, Object> copy(Map<String, ?> fields) {
		Map<String, Object> copy = new LinkedHashMap<>();
		fields.forEach((k, v) -> copy.put(k, (v == null || v instanceof Number || v instanceof Boolean) ? v
				: v.toString()));
		return copy;
	}

	@Override
	public void event(String type, Map<String, ?> fields) {
		offer(AuditStore.Entry.event(new AuditEvent(0, clock.instant(), type, copy(fields))));
	}

	@Override
	public int queueDepth() {
		return queue.size();
	}

	@Override
	public void admitToolCall() {
		if (queue.remainingCapacity() > 0) {
			return;
		}
		overflowed();
		if (properties.overflow() == GatehouseProperties.AuditOverflow.REJECT) {
			throw AuditUnavailableException.queueFull();
		}
		long deadline = System.nanoTime() + properties.blockTimeout().toNanos();
		try {
			while (queue.remainingCapacity() == 0) {
				if (System.nanoTime() > deadline) {
					throw AuditUnavailableException.queueFull();
				}
				Thread.sleep(5);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw AuditUnavailableException.queueFull();
		}
	}

	/** How many times the queue was found full. */
	long overflows() {
		return overflows.get();
	}

	/** How many records this instance has written since it started. */
	long written() {
		return written.get();
	}

	private void offer(AuditStore.Entry entry) {
		if (queue.offer(entry)) {
			return;
		}
		overflowed();
		try {
			// Never dropped: wait for room (the writer is draining, or retrying a failed database).
			queue.put(entry);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.error("Interrupted while waiting for room in the audit queue; writing a {} record directly",
					entry.event().type());
			write(List.of(entry));
		}
	}

	private void overflowed() {
		long count = overflows.incrementAndGet();
		if (count % 1000 == 1) {
			logger.error("The audit queue is full ({} records waiting; {} overflows so far): the audit store is not "
					+ "keeping up. New tool calls are {} until it does.", queue.size(), count,
					(properties.overflow() == GatehouseProperties.AuditOverflow.REJECT) ? "refused"
							: "held (up to " + properties.blockTimeout() + ")");
		}
	}

	private void drain() {
		List<AuditStore.Entry> taken = new ArrayList<>(properties.batchSize());
		while (!stopping || !queue.isEmpty() || !heldMarks.isEmpty()) {
			try {
				AuditStore.Entry first = queue.poll(pollNanos(), TimeUnit.NANOSECONDS);
				if (first != null) {
					taken.add(first);
					queue.drainTo(taken, properties.batchSize() - 1);
					if (taken.size() > 1) {
						linger(taken);
					}
				}
				List<AuditStore.Entry> batch = sift(taken);
				taken.clear();
				if (!batch.isEmpty()) {
					write(batch);
				}
			}
			catch (InterruptedException ex) {
				if (!stopping) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * What to write now: the records taken, and the marks that have waited {@code gatehouse.audit.mark-delay}. A mark
	 * is held that long first, because most calls end sooner: their record then arrives while the mark is held, and
	 * neither the mark nor its deletion is ever written (on a quiet gateway, one commit per call instead of two).
	 */
	private List<AuditStore.Entry> sift(List<AuditStore.Entry> taken) {
		List<AuditStore.Entry> batch = new ArrayList<>(taken.size());
		long now = System.nanoTime();
		for (AuditStore.Entry entry : taken) {
			if (entry.startsCall() != null) {
				heldMarks.put(entry.startsCall(), new HeldMark(entry, now + properties.markDelay().toNanos()));
			}
			else if (entry.endsCall() != null && heldMarks.remove(entry.endsCall()) != null) {
				batch.add(entry.endingNothing());
			}
			else {
				batch.add(entry);
			}
		}
		for (var held = heldMarks.values().iterator(); held.hasNext();) {
			HeldMark mark = held.next();
			if (!stopping && mark.due() - now > 0) {
				break;
			}
			batch.add(mark.entry());
			held.remove();
		}
		return batch;
	}

	/** How long the writer may wait for the next record: until the oldest held mark is due. */
	private long pollNanos() {
		if (heldMarks.isEmpty()) {
			return TimeUnit.MILLISECONDS.toNanos(200);
		}
		return Math.max(0, heldMarks.values().iterator().next().due() - System.nanoTime());
	}

	/** A call's mark, held by the writer until it is due. */
	private record HeldMark(AuditStore.Entry entry, long due) {
	}

	/**
	 * Under concurrent load, waits up to the linger for more records, so that one transaction (one chain-head lock,
	 * one commit) carries many: with records arriving a few hundred microseconds apart, the transaction's fixed cost
	 * was most of the writer's CPU. A record found alone is written at once, so a quiet gateway adds no delay.
	 */
	private void linger(List<AuditStore.Entry> batch) {
		long linger = properties.linger().toNanos();
		if (linger == 0) {
			return;
		}
		long deadline = System.nanoTime() + linger;
		try {
			while (batch.size() < properties.batchSize() && !stopping) {
				long left = deadline - System.nanoTime();
				AuditStore.Entry next = (left > 0) ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
				if (next == null) {
					return;
				}
				batch.add(next);
				queue.drainTo(batch, properties.batchSize() - batch.size());
			}
		}
		catch (InterruptedException ex) {
			// The batch in hand is written; the next poll sees the interrupt.
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Appends a batch, retrying with backoff until it is stored, releases the calls waiting for it, then streams it
	 * and tells the listeners.
	 */
	private void write(List<AuditStore.Entry> batch) {
		List<AuditEvent> stored = null;
		Duration backoff = Duration.ofMillis(100);
		while (stored == null) {
			try {
				stored = store.append(batch, instance);
			}
			catch (RuntimeException ex) {
				logger.error("Cannot write {} audit record(s) to the database ({}); retrying in {} ms. They are kept "
						+ "in memory meanwhile.", batch.size(), ex.getMessage(), backoff.toMillis());
				try {
					Thread.sleep(backoff.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					if (stopping) {
						logger.error("Stopping with {} audit record(s) unwritten: {}", batch.size(), ex.getMessage());
						batch.forEach((entry) -> {
							stream.write(entry.event());
							entry.failed(ex);
						});
						return;
					}
				}
				backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
						: backoff.multipliedBy(2);
			}
		}
		batch.forEach(AuditStore.Entry::stored);
		written.addAndGet(stored.size());
		published(stored);
	}

	/** Streams stored records and hands them to the listeners (also those recovered for a stopped instance). */
	void published(List<AuditEvent> stored) {
		List<AuditListener> current = resolvedListeners;
		if (current == null) {
			current = listeners.orderedStream().toList();
		}
		for (AuditEvent event : stored) {
			stream.write(event);
			for (AuditListener listener : current) {
				try {
					listener.onAudit(event);
				}
				catch (RuntimeException ex) {
					logger.warn("Audit listener {} failed on record {} ({}): {}", listener.getClass().getSimpleName(),
							event.sequence(), event.type(), ex.toString());
				}
			}
		}
	}

	@Override
	public void start() {
		resolvedListeners = listeners.orderedStream().toList();
		Thread thread = new Thread(this::drain, "gatehouse-audit");
		thread.setDaemon(true);
		writer = thread;
		thread.start();
	}

	@Override
	public boolean isRunning() {
		return writer != null;
	}

	/** Stops after the web server (higher phase stops first) so that the last calls' records are written. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	@Override
	@PreDestroy
	public void stop() {
		Thread thread = writer;
		if (thread == null) {
			return;
		}
		stopping = true;
		try {
			thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		writer = null;
	}

	private static void putIfPresent(Map<String, Object> fields, String name, @Nullable String value) {
		if (value != null) {
			fields.put(name, value);
		}
	}
}
