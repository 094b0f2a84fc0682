package dev.gatehouse.bench.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyTests {

	@Test
	void ofReadsPercentilesInMicroseconds() {
		Histogram histogram = Latency.histogram();
		for (int i = 1; i <= 1000; i++) {
			histogram.recordValue(i * 1_000L);
		}
		Latency latency = Latency.of(histogram);
		assertThat(latency.count()).isEqualTo(1000);
		assertThat(latency.p50()).isCloseTo(500, within(1.0));
		assertThat(latency.p99()).isCloseTo(990, within(1.0));
		assertThat(latency.max()).isCloseTo(1000, within(1.0));
		assertThat(latency.mean()).isCloseTo(500.5, within(1.0));
	}

	@Test
	void ofWhenEmptyThenNone() {
		assertThat(Latency.of(Latency.histogram())).isEqualTo(Latency.NONE);
	}

	@Test
	void correctedLatencyChargesAStallToEveryCallItDelayed() {
		// one connection, a call due every 1 ms, each answered in 100 µs, but the server stalls 10 ms once:
		// measured from the intended start, the ten calls that were due during the stall each wait
		Histogram corrected = Latency.histogram();
		Histogram service = Latency.histogram();
		long clock = 0;
		for (int k = 0; k < 100; k++) {
			long intended = LoadRunner.intendedStart(0, k, 1, 0, 1000);
			long began = Math.max(clock, intended);
			long took = (k == 50) ? 10_000_000 : 100_000;
			clock = began + took;
			corrected.recordValue(clock - intended);
			service.recordValue(took);
		}
		assertThat(Latency.of(service).p99()).isCloseTo(100, within(1.0));
		assertThat(Latency.of(corrected).p99()).isGreaterThan(9000);
		assertThat(corrected.getTotalCount()).isEqualTo(100);
	}

}
