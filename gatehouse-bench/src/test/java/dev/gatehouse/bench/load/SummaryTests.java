package dev.gatehouse.bench.load;

import java.util.List;
import java.util.Map;

import dev.gatehouse.bench.load.Summary.Stats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SummaryTests {

	private static final List<Measurement> RUNS = List.of(closed("direct", 1, 64, 10_000),
			closed("gateway", 1, 64, 4_000), closed("direct", 2, 64, 8_000), closed("gateway", 2, 64, 4_000),
			closed("gateway", 3, 64, 9_999), open("direct", 1, 50, 100, 300), open("gateway", 1, 50, 250, 900),
			open("direct", 2, 50, 120, 400), open("gateway", 2, 50, 220, 700));

	@Test
	void ratioIsComputedWithinEachPassThatMeasuredBoth() {
		Stats ratio = Summary.ratio(RUNS, "closed", 64, "gateway", "direct", Summary::rps);
		// pass 1: 0.4, pass 2: 0.5; pass 3 has no direct run and is left out
		assertThat(ratio.count()).isEqualTo(2);
		assertThat(ratio.mean()).isCloseTo(0.45, within(1e-9));
		assertThat(ratio.min()).isCloseTo(0.4, within(1e-9));
		assertThat(ratio.max()).isCloseTo(0.5, within(1e-9));
	}

	@Test
	void differenceIsComputedWithinEachPass() {
		Stats p50 = Summary.difference(RUNS, "open", 50, "gateway", "direct", Summary::p50);
		Stats p99 = Summary.difference(RUNS, "open", 50, "gateway", "direct", Summary::p99);
		assertThat(p50.mean()).isCloseTo(125, within(1e-9));
		assertThat(p50.min()).isCloseTo(100, within(1e-9));
		assertThat(p99.mean()).isCloseTo(450, within(1e-9));
	}

	@Test
	void metricSummarisesOneTreatmentOverThePasses() {
		Stats rps = Summary.metric(RUNS, "closed", 64, "gateway", Summary::rps);
		assertThat(rps.count()).isEqualTo(3);
		assertThat(rps.min()).isCloseTo(4_000, within(1e-9));
		assertThat(rps.max()).isCloseTo(9_999, within(1e-9));
	}

	@Test
	void metricWhenNothingMeasuredThenNotAvailable() {
		Stats none = Summary.metric(RUNS, "closed", 256, "gateway", Summary::rps);
		assertThat(none.count()).isZero();
		assertThat(none.format("%.0f")).isEqualTo("n/a");
	}

	@Test
	void formatShowsTheRangeOnlyForSeveralValues() {
		assertThat(Stats.of(List.of(0.4, 0.5)).format("%.2f")).isEqualTo("0.45 [0.40–0.50]");
		assertThat(Stats.of(List.of(0.4)).format("%.2f")).isEqualTo("0.40");
	}

	@Test
	void reportTextPrintsTheRatiosAndTheAddedLatency() {
		Profile profile = new Profile("test", 2, List.of(64), 0, 1000, List.of(0.5), 64, 0, 1000, 0, 0, 0, 0, 10);
		String text = new Report(RUNS, List.of("direct", "gateway"), profile).text(Map.of("openLoopRates",
				Map.of(50, 3000.0)));
		assertThat(text).contains("c=64    direct 9000 [8000–10000]  gateway 6000 [4000–9999]  gateway/direct 0.45 [0.40–0.50]")
			.contains("50% of gateway saturation (3000 calls/s)")
			.contains("gateway − direct: Δp50 +125 [+100–+150]  Δp99 +450 [+300–+600]")
			.contains("gateway by load: c=64 50 [50–50] · 50% 1200 [1100–1300]");
	}

	static Measurement closed(String treatment, int pass, int c, double rps) {
		LoadResult result = new LoadResult((long) rps, 0, 1.0, Latency.NONE, Latency.NONE, null, (long) rps);
		return new Measurement(treatment, pass, "closed", c, 0, result, Map.of("gateway", 50.0), Map.of(), Map.of());
	}

	static Measurement open(String treatment, int pass, int percent, double p50, double p99) {
		Latency latency = new Latency(100, p50, p50, p99, p99, p99, p50);
		LoadResult result = new LoadResult(100, 0, 1.0, latency, latency, null, 100);
		return new Measurement(treatment, pass, "open", percent, 3000, result, Map.of("gateway", p99 + 400), Map.of(),
				Map.of());
	}

}
