package dev.gatehouse.server.monitor;

import java.time.Duration;
import java.util.Locale;

import dev.gatehouse.core.audit.ToolCallRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The gateway's MCP metrics: tool calls by target and outcome with a latency histogram, and held streams.
 */
@Component
public final class McpMetrics {

	private final MeterRegistry registry;

	public McpMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Records one {@code tools/call}. */
	public void toolCall(String target, ToolCallRecord.Outcome outcome, Duration latency) {
		Timer.builder("gatehouse.tool.calls")
			.description("tools/call requests, by target and outcome")
			.tag("target", target)
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.publishPercentileHistogram()
			.register(registry)
			.record(latency);
	}

	public MeterRegistry registry() {
		return registry;
	}
}
