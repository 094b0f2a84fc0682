package dev.gatehouse.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.gatehouse.bench.load.Summary.Stats;

/**
 * The run's summary: as JSON (the {@code summary} member of the result file) and as text for people, with the
 * ratios the performance targets are stated in.
 */
final class Report {

	private final List<Measurement> all;

	private final List<String> treatments;

	private final Profile profile;

	Report(List<Measurement> all, List<String> treatments, Profile profile) {
		this.all = all;
		this.treatments = treatments;
		this.profile = profile;
	}

	/** The summary figures as a JSON-ready map. */
	Map<String, Object> toMap() {
		Map<String, Object> closed = new LinkedHashMap<>();
		for (int c : this.profile.concurrencies()) {
			Map<String, Object> level = new LinkedHashMap<>();
			for (String treatment : this.treatments) {
				level.put(treatment + "Rps", Summary.metric(this.all, "closed", c, treatment, Summary::rps).toMap());
			}
			level.put("gatewayVsDirect", ratio(c, Summary.DIRECT).toMap());
			if (this.treatments.contains(Summary.NGINX)) {
				level.put("gatewayVsNginx", ratio(c, Summary.NGINX).toMap());
			}
			level.put("cpuUsPerCall", cpu(c));
			closed.put("c" + c, level);
		}
		Map<String, Object> open = new LinkedHashMap<>();
		for (int percent : percents()) {
			Map<String, Object> level = new LinkedHashMap<>();
			for (String treatment : this.treatments) {
				level.put(treatment + "P50Us", Summary.metric(this.all, "open", percent, treatment, Summary::p50).toMap());
				level.put(treatment + "P99Us", Summary.metric(this.all, "open", percent, treatment, Summary::p99).toMap());
			}
			for (String base : bases()) {
				level.put("addedP50UsVs" + capitalized(base), added(percent, base, Summary::p50).toMap());
				level.put("addedP99UsVs" + capitalized(base), added(percent, base, Summary::p99).toMap());
			}
			open.put(percent + "%", level);
		}
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("closedLoop", closed);
		summary.put("openLoop", open);
		return summary;
	}

	/**
	 * The text summary.
	 * @param results the run's other figures (qualification, sessions, storm)
	 * @return the lines
	 */
	String text(Map<String, Object> results) {
		StringBuilder out = new StringBuilder();
		closedText(out);
		openText(out, results);
		cpuText(out);
		extrasText(out, results);
		return out.toString();
	}

	private void closedText(StringBuilder out) {
		out.append("Saturation (closed loop; calls/s, mean [min–max] over ").append(this.profile.passes())
			.append(" pass(es); ratios within each pass):\n");
		for (int c : this.profile.concurrencies()) {
			out.append(String.format(Locale.ROOT, "  c=%-4d", c));
			for (String treatment : this.treatments) {
				out.append("  ").append(treatment).append(' ')
					.append(Summary.metric(this.all, "closed", c, treatment, Summary::rps).format("%.0f"));
			}
			out.append("  gateway/direct ").append(ratio(c, Summary.DIRECT).format("%.2f"));
			if (this.treatments.contains(Summary.NGINX)) {
				out.append("  gateway/nginx ").append(ratio(c, Summary.NGINX).format("%.2f"));
			}
			out.append('\n');
		}
	}

	private void openText(StringBuilder out, Map<String, Object> results) {
		out.append("Added latency at fixed rates (open loop, ").append(this.profile.openConnections())
			.append(" connections; µs from each call's intended start):\n");
		@SuppressWarnings("unchecked")
		Map<Integer, Double> rates = (Map<Integer, Double>) results.getOrDefault("openLoopRates", Map.of());
		for (int percent : percents()) {
			out.append(String.format(Locale.ROOT, "  %d%% of gateway saturation (%.0f calls/s):", percent,
					rates.getOrDefault(percent, Double.NaN)));
			for (String treatment : this.treatments) {
				out.append("  ").append(treatment).append(" p50 ")
					.append(Summary.metric(this.all, "open", percent, treatment, Summary::p50).format("%.0f"))
					.append(" p99 ")
					.append(Summary.metric(this.all, "open", percent, treatment, Summary::p99).format("%.0f"));
			}
			out.append('\n');
			for (String base : bases()) {
				out.append("      gateway − ").append(base).append(": Δp50 ")
					.append(added(percent, base, Summary::p50).format("%+.0f"))
					.append("  Δp99 ")
					.append(added(percent, base, Summary::p99).format("%+.0f"))
					.append('\n');
			}
		}
	}

	private void cpuText(StringBuilder out) {
		int c = this.profile.referenceConcurrency();
		out.append("CPU per call at c=").append(c).append(" (µs, /proc utime+stime over the run, all calls):\n");
		cpu(c).forEach((treatment, processes) -> {
			out.append(String.format(Locale.ROOT, "  %-8s", treatment + ":"));
			((Map<?, ?>) processes).forEach((process, micros) -> out.append(' ').append(process).append(' ')
				.append(micros));
			out.append('\n');
		});
		// a gateway that is not saturated spends more per call (wake-ups, lone audit transactions): by load
		out.append("  gateway by load:");
		for (int concurrency : this.profile.concurrencies()) {
			out.append(" c=").append(concurrency).append(' ').append(gatewayCpu("closed", concurrency));
		}
		for (int percent : percents()) {
			out.append(" · ").append(percent).append("% ").append(gatewayCpu("open", percent));
		}
		out.append('\n');
	}

	private String gatewayCpu(String kind, int level) {
		return Summary.metric(this.all, kind, level, Summary.GATEWAY, (m) -> Summary.cpu(m, "gateway"))
			.format("%.0f");
	}

	@SuppressWarnings("unchecked")
	private void extrasText(StringBuilder out, Map<String, Object> results) {
		Map<String, Object> sessions = (Map<String, Object>) results.get("heldSessions");
		if (sessions != null) {
			out.append(String.format(Locale.ROOT,
					"Held sessions: %s of %s streams held; gateway RSS %s KiB/session, heap %s B/session; tools/call at "
							+ "c=%s %s → %s calls/s (×%s)%n",
					sessions.get("streamsHeld"), sessions.get("sessionsRequested"),
					format(sessions.get("gatewayRssKibPerSession"), "%.1f"),
					format(sessions.get("gatewayHeapBytesPerSession"), "%.0f"), sessions.get("toolsCallConcurrency"),
					format(sessions.get("toolsCallRpsBefore"), "%.0f"), format(sessions.get("toolsCallRpsHeld"), "%.0f"),
					format(sessions.get("toolsCallRpsRatio"), "%.2f")));
		}
		Map<String, Object> storm = (Map<String, Object>) results.get("refreshStorm");
		if (storm != null && storm.containsKey("grants")) {
			out.append(String.format(Locale.ROOT,
					"Refresh storm: %s of %s grants refreshed exactly once (%s token requests, %s callers each); "
							+ "storm calls %s ok / %s failed; other callers' p99 %s → %s µs (×%s)%n",
					storm.get("grantsRefreshedExactlyOnce"), storm.get("grants"),
					format(storm.get("tokenRequestsDuringStorm"), "%.0f"), storm.get("callersPerGrant"),
					storm.get("stormCallsOk"), storm.get("stormCallsFailed"),
					format(storm.get("otherCallersP99UsBefore"), "%.0f"),
					format(storm.get("otherCallersP99UsDuring"), "%.0f"), format(storm.get("otherCallersP99Ratio"), "%.2f")));
		}
		else if (storm != null) {
			out.append("Refresh storm: ").append(storm).append('\n');
		}
		long errors = this.all.stream().mapToLong((m) -> m.result().errors()).sum();
		out.append("Errors over all load runs: ").append(errors).append('\n');
	}

	private Map<String, Object> cpu(int c) {
		Map<String, Object> cpu = new LinkedHashMap<>();
		for (String treatment : this.treatments) {
			Map<String, String> processes = new LinkedHashMap<>();
			for (String process : List.of("gateway", "nginx", "upstream", "client")) {
				Stats stats = Summary.metric(this.all, "closed", c, treatment, (m) -> Summary.cpu(m, process));
				if (stats.count() > 0 && !Double.isNaN(stats.mean())) {
					processes.put(process, stats.format("%.1f"));
				}
			}
			cpu.put(treatment, processes);
		}
		return cpu;
	}

	private Stats ratio(int c, String base) {
		return Summary.ratio(this.all, "closed", c, Summary.GATEWAY, base, Summary::rps);
	}

	private Stats added(int percent, String base, ToDoubleFunction<Measurement> metric) {
		return Summary.difference(this.all, "open", percent, Summary.GATEWAY, base, metric);
	}

	private List<String> bases() {
		return this.treatments.stream().filter((t) -> !t.equals(Summary.GATEWAY)).toList();
	}

	private List<Integer> percents() {
		return this.profile.openFractions().stream().map((f) -> (int) Math.round(f * 100)).toList();
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static String format(Object value, String pattern) {
		return (value instanceof Number number) ? String.format(Locale.ROOT, pattern, number.doubleValue()) : "n/a";
	}

}
