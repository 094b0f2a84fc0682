package dev.gatehouse.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured run of one treatment.
 *
 * @param treatment {@code direct}, {@code nginx} or {@code gateway}
 * @param pass the pass, from 1
 * @param kind {@code closed} (saturation) or {@code open} (fixed rate)
 * @param level the concurrency (closed) or the rate's fraction of the gateway's saturation in percent (open)
 * @param targetRate the open loop's rate in calls per second, 0 for closed
 * @param result the load client's figures
 * @param cpuMicrosPerCall CPU time per completed call of each process ({@code client}, {@code upstream},
 * {@code nginx}, {@code gateway}), in microseconds
 * @param gatewayThreads the gateway's CPU per call by thread group (gateway runs; empty for the others)
 * @param upstreamPerCall what the fake upstream received per call (requests by kind, new connections)
 */
record Measurement(String treatment, int pass, String kind, int level, double targetRate, LoadResult result,
		Map<String, Double> cpuMicrosPerCall, Map<String, Double> gatewayThreads, Map<String, Double> upstreamPerCall) {

	/** The result as a JSON-ready map. */
	Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("treatment", this.treatment);
		map.put("pass", this.pass);
		map.put("kind", this.kind);
		map.put(this.kind.equals("closed") ? "concurrency" : "percentOfGatewaySaturation", this.level);
		if (this.targetRate > 0) {
			map.put("targetRate", this.targetRate);
		}
		map.put("calls", this.result.requests());
		map.put("errors", this.result.errors());
		map.put("seconds", this.result.seconds());
		map.put("rps", this.result.rps());
		map.put(this.kind.equals("open") ? "latencyUsCorrected" : "latencyUs", latency(this.result.latency()));
		if (this.kind.equals("open")) {
			map.put("serviceTimeUs", latency(this.result.service()));
		}
		map.put("cpuUsPerCall", this.cpuMicrosPerCall);
		if (!this.gatewayThreads.isEmpty()) {
			map.put("gatewayCpuUsPerCallByThreadGroup", this.gatewayThreads);
		}
		map.put("upstreamReceivedPerCall", this.upstreamPerCall);
		if (this.result.firstError() != null) {
			map.put("firstError", this.result.firstError());
		}
		return map;
	}

	static Map<String, Object> latency(Latency latency) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("p50", latency.p50());
		map.put("p90", latency.p90());
		map.put("p99", latency.p99());
		map.put("p99.9", latency.p999());
		map.put("max", latency.max());
		map.put("mean", latency.mean());
		return map;
	}

}
