package dev.gatehouse.server.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.gatehouse.core.audit.ToolCallRecord;
import dev.gatehouse.server.config.GatehouseProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The gateway's MCP metrics: tool calls by target, tool and outcome, their latency split into the gateway's own
 * time and the wait for the target, and open MCP sessions. {@code docs/operations.md} lists every metric.
 * <p>
 * Tag values are bounded: {@code target} and {@code tool} come from the catalog ({@code -} for a tool that did not
 * resolve), so an agent cannot create series by calling made-up names. Histograms use fixed buckets rather than
 * Micrometer's percentile histogram (about 70 buckets), because they are kept per tool. Thread-safe.
 */
@Component
public final class McpMetrics {

	/** Buckets of the whole call and of the wait for the target. */
	private static final Duration[] CALL_BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
			Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
			Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
			Duration.ofSeconds(30), Duration.ofSeconds(60) };

	/** Buckets of the gateway's own time: sub-millisecond when all goes well. */
	private static final Duration[] GATEWAY_BUCKETS = { Duration.ofNanos(100_000), Duration.ofNanos(250_000),
			Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofSeconds(1) };

	/** The tag value of a call whose tool or target did not resolve. */
	public static final String NONE = "-";

	private final MeterRegistry registry;

	private final Clock clock;

	private final Duration sessionTtl;

	/** Sessions initialised here and not ended, by the minute of their creation (epoch minutes). */
	private final ConcurrentSkipListMap<Long, AtomicLong> sessionsByMinute = new ConcurrentSkipListMap<>();

	private final ConcurrentHashMap<TimerKey, Timers> timers = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Timer> upstreamTimers = new ConcurrentHashMap<>();

	public McpMetrics(MeterRegistry registry, Clock clock, GatehouseProperties properties) {
		this.registry = registry;
		this.clock = clock;
		this.sessionTtl = properties.mcp().sessionTtl();
		Gauge.builder("gatehouse.mcp.sessions.open", this, McpMetrics::openSessions)
			.description("MCP sessions initialised on this instance, not ended (DELETE) and within the session TTL")
			.register(registry);
	}

	/**
	 * Records one {@code tools/call}.
	 * @param target the target, or {@code null} when the tool did not resolve
	 * @param tool the exposed tool name from the catalog, or {@code null} when it did not resolve
	 * @param latency from arrival to answer
	 * @param upstream the part of {@code latency} spent waiting for the target (zero when none was called)
	 */
	public void toolCall(@Nullable String target, @Nullable String tool, ToolCallRecord.Outcome outcome,
			Duration latency, Duration upstream) {
		String targetTag = (target != null) ? target : NONE;
		Timers call = timers.computeIfAbsent(new TimerKey(targetTag, (tool != null) ? tool : NONE, outcome),
				this::register);
		call.calls().record(latency);
		Duration gateway = latency.minus(upstream);
		call.gateway().record(gateway.isNegative() ? Duration.ZERO : gateway);
		if (!upstream.isZero()) {
			// Registered on its first use, as before: a target never called has no upstream series.
			upstreamTimers.computeIfAbsent(targetTag, this::registerUpstream).record(upstream);
		}
	}

	/**
	 * The timers of a (target, tool, outcome), registered once: building and looking them up through the
	 * registry on every call (builders, tag sorting, the registry's map) cost about 2 % of a tool call's CPU. The key
	 * space is the one the tags already had (catalog names, outcomes), so the map is bounded the same way.
	 */
	private Timers register(TimerKey key) {
		String outcomeTag = key.outcome().name().toLowerCase(Locale.ROOT);
		Timer calls = Timer.builder("gatehouse.tool.calls")
			.description("tools/call requests by target, tool and outcome, from arrival to answer")
			.tag("target", key.target())
			.tag("tool", key.tool())
			.tag("outcome", outcomeTag)
			.serviceLevelObjectives(CALL_BUCKETS)
			.register(registry);
		Timer gateway = Timer.builder("gatehouse.tool.call.gateway")
			.description("The gateway's own time in a tools/call: the whole call less the wait for the target")
			.tag("target", key.target())
			.tag("outcome", outcomeTag)
			.serviceLevelObjectives(GATEWAY_BUCKETS)
			.register(registry);
		return new Timers(calls, gateway);
	}

	private Timer registerUpstream(String target) {
		return Timer.builder("gatehouse.tool.call.upstream")
			.description("The time a tools/call waited for its target (connection, session set-up, the target's "
					+ "work and its streamed answer)")
			.tag("target", target)
			.serviceLevelObjectives(CALL_BUCKETS)
			.register(registry);
	}

	private record TimerKey(String target, String tool, ToolCallRecord.Outcome outcome) {
	}

	private record Timers(Timer calls, Timer gateway) {
	}

	/** A session was initialised on this instance. */
	public void sessionOpened(Instant createdAt) {
		sessionsByMinute.computeIfAbsent(minute(createdAt), (m) -> new AtomicLong()).incrementAndGet();
	}

	/**
	 * A session was ended here with DELETE. The session may have been initialised on another instance: then this
	 * instance's count goes down and the other's stays up, and {@code sum()} over instances is right.
	 */
	public void sessionEnded(Instant createdAt) {
		sessionsByMinute.computeIfAbsent(minute(createdAt), (m) -> new AtomicLong()).decrementAndGet();
	}

	private double openSessions() {
		long oldest = minute(clock.instant().minus(sessionTtl));
		sessionsByMinute.headMap(oldest).clear();
		long open = 0;
		for (Map.Entry<Long, AtomicLong> entry : sessionsByMinute.entrySet()) {
			open += entry.getValue().get();
		}
		return open;
	}

	private static long minute(Instant at) {
		return Math.floorDiv(at.getEpochSecond(), 60);
	}

	public MeterRegistry registry() {
		return registry;
	}
}
