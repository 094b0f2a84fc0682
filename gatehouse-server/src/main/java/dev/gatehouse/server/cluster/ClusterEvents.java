package dev.gatehouse.server.cluster;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.config.InstanceId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes events to every instance sharing the database and delivers theirs to local listeners.
 * <p>
 * Identity values can commit out of order, so the reader keeps a cursor below the lowest id it has not seen
 * yet and gives up on a gap (a rolled-back insert) after {@link #GAP_TIMEOUT_MS}. Thread-safe.
 */
@Component
public final class ClusterEvents {

	private static final Logger logger = LoggerFactory.getLogger(ClusterEvents.class);

	static final long GAP_TIMEOUT_MS = 5_000;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final JsonMapper json;

	private final GatehouseProperties.Cluster properties;

	private final String instanceId;

	private final Map<String, List<Consumer<JsonNode>>> listeners = new ConcurrentHashMap<>();

	private final Object pollLock = new Object();

	private long cursor = -1;

	private final Map<Long, Long> gaps = new HashMap<>();

	private final java.util.Set<Long> seenAboveCursor = new java.util.HashSet<>();

	public ClusterEvents(JdbcClient jdbc, Clock clock, GatehouseProperties properties, InstanceId instance) {
		this.instanceId = Objects.requireNonNull(instance, "instance must not be null").value();
		this.jdbc = Objects.requireNonNull(jdbc, "jdbc must not be null");
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
		this.properties = properties.cluster();
		this.json = JsonMapper.builder().build();
	}

	/** This instance's id, different at every start. */
	public String instanceId() {
		return instanceId;
	}

	/** Registers a listener for one kind of event, local and remote. */
	public void subscribe(String kind, Consumer<JsonNode> listener) {
		listeners.computeIfAbsent(kind, (k) -> new CopyOnWriteArrayList<>()).add(listener);
	}

	/** Delivers the event to local listeners now and to the other instances within the poll interval. */
	public void publish(String kind, JsonNode payload) {
		jdbc.sql("insert into cluster_event (origin, kind, payload, created_at) values (?, ?, ?, ?)")
			.params(instanceId, kind, json.writeValueAsString(payload), Timestamp.from(clock.instant()))
			.update();
		deliver(kind, payload);
	}

	@Scheduled(fixedDelayString = "${gatehouse.cluster.poll-interval:250ms}")
	void poll() {
		synchronized (pollLock) {
			if (cursor < 0) {
				Long max = jdbc.sql("select max(id) from cluster_event").query(Long.class).optional().orElse(null);
				cursor = (max != null) ? max : 0;
				return;
			}
			List<Row> rows = jdbc.sql("select id, origin, kind, payload from cluster_event where id > ? order by id")
				.param(cursor)
				.query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
				.list();
			for (Row row : rows) {
				if (!seenAboveCursor.add(row.id)) {
					continue;
				}
				gaps.remove(row.id);
				if (!instanceId.equals(row.origin)) {
					deliver(row.kind, json.readTree(row.payload));
				}
			}
			advanceCursor();
		}
	}

	private void advanceCursor() {
		long now = clock.millis();
		long max = seenAboveCursor.stream().mapToLong(Long::longValue).max().orElse(cursor);
		for (long id = cursor + 1; id < max; id++) {
			if (!seenAboveCursor.contains(id)) {
				gaps.putIfAbsent(id, now);
			}
		}
		gaps.values().removeIf((since) -> now - since > GAP_TIMEOUT_MS);
		long lowestGap = gaps.keySet().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
		long next = Math.min(max, lowestGap - 1);
		if (next > cursor) {
			cursor = next;
			seenAboveCursor.removeIf((id) -> id <= cursor);
		}
	}

	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void purge() {
		Instant before = clock.instant().minus(properties.eventRetention());
		jdbc.sql("delete from cluster_event where created_at < ?").param(Timestamp.from(before)).update();
	}

	private void deliver(String kind, JsonNode payload) {
		for (Consumer<JsonNode> listener : listeners.getOrDefault(kind, List.of())) {
			try {
				listener.accept(payload);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener for cluster event '{}' failed", kind, ex);
			}
		}
	}

	private record Row(long id, String origin, String kind, String payload) {
	}

	/** For tests: the kinds with listeners. */
	List<String> kinds() {
		return new ArrayList<>(listeners.keySet());
	}
}
