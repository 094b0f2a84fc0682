package dev.gatehouse.bench.load;

import java.util.List;

/**
 * How much a run measures. Durations in milliseconds.
 *
 * @param name the profile's name
 * @param passes passes over every treatment, each in a rotated order
 * @param concurrencies closed-loop connection counts
 * @param closedWarmup unmeasured start of each closed-loop run
 * @param closedMeasure measured period of each closed-loop run
 * @param openFractions open-loop rates as fractions of the gateway's saturation at the highest concurrency ≤ 64
 * @param openConnections connections of each open-loop run
 * @param openWarmup unmeasured start of each open-loop run
 * @param openMeasure measured period of each open-loop run
 * @param gatewayWarmup closed-loop load on the gateway before the first pass (JIT, pools)
 * @param qualifyMeasure measured period of the upstream's qualification against nginx serving a file
 * @param sessions MCP sessions held through the gateway, each with its GET stream
 * @param stormTargets client-credentials targets whose tokens expire together
 * @param stormTokenSeconds lifetime of their tokens at the IdP
 */
record Profile(String name, int passes, List<Integer> concurrencies, long closedWarmup, long closedMeasure,
		List<Double> openFractions, int openConnections, long openWarmup, long openMeasure, long gatewayWarmup,
		long qualifyMeasure, int sessions, int stormTargets, int stormTokenSeconds) {

	/** The profile names. */
	static final List<String> NAMES = List.of("default", "smoke", "sessions-10k");

	/**
	 * A profile by name.
	 * @param name {@code default}, {@code smoke} or {@code sessions-10k}
	 * @return the profile
	 * @throws IllegalArgumentException for another name
	 */
	static Profile named(String name) {
		List<Integer> all = List.of(1, 16, 64, 256);
		List<Double> fractions = List.of(0.25, 0.5, 0.75);
		return switch (name) {
			case "default" -> new Profile(name, 3, all, 1000, 3000, fractions, 64, 1000, 4000, 25000, 3000, 1000,
					100, 16);
			case "smoke" -> new Profile(name, 1, List.of(1, 64), 300, 1500, List.of(0.5), 16, 300, 1500, 3000, 1000,
					50, 5, 12);
			case "sessions-10k" -> new Profile(name, 1, all, 1000, 3000, fractions, 64, 1000, 4000, 25000, 3000,
					10000, 100, 16);
			default -> throw new IllegalArgumentException(
					"unknown profile '" + name + "' (profiles: " + String.join(", ", NAMES) + ")");
		};
	}

	/**
	 * The same profile with another number of passes.
	 * @param passes at least 1
	 * @return the profile
	 */
	Profile withPasses(int passes) {
		return new Profile(this.name, passes, this.concurrencies, this.closedWarmup, this.closedMeasure,
				this.openFractions, this.openConnections, this.openWarmup, this.openMeasure, this.gatewayWarmup,
				this.qualifyMeasure, this.sessions, this.stormTargets, this.stormTokenSeconds);
	}

	/**
	 * The concurrency whose gateway saturation sets the open-loop rates: 64 if measured, else the highest
	 * below it, else the lowest.
	 * @return the concurrency
	 */
	int referenceConcurrency() {
		return this.concurrencies.stream()
			.filter((c) -> c <= 64)
			.max(Integer::compare)
			.orElse(this.concurrencies.get(0));
	}

}
