package dev.gatehouse.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadRunnerTests {

	@Test
	void intendedStartDealsOneScheduleRoundRobin() {
		// 1,000 calls/s over 4 connections: a call every millisecond, each connection every 4 ms
		assertThat(LoadRunner.intendedStart(0, 0, 4, 0, 1000)).isEqualTo(0);
		assertThat(LoadRunner.intendedStart(0, 0, 4, 1, 1000)).isEqualTo(1_000_000);
		assertThat(LoadRunner.intendedStart(0, 0, 4, 3, 1000)).isEqualTo(3_000_000);
		assertThat(LoadRunner.intendedStart(0, 1, 4, 0, 1000)).isEqualTo(4_000_000);
		assertThat(LoadRunner.intendedStart(500, 2, 4, 2, 1000)).isEqualTo(500 + 10_000_000);
	}

	@Test
	void intendedStartDoesNotDependOnHowLongCallsTake() {
		// the schedule is fixed in advance: a late call does not move the next one (no coordinated omission)
		long first = LoadRunner.intendedStart(0, 10, 2, 1, 250);
		long second = LoadRunner.intendedStart(0, 11, 2, 1, 250);
		assertThat(second - first).isEqualTo(8_000_000);
	}

}
