package dev.gatehouse.bench.load;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatsTests {

	/** A stat line whose command name holds a space and a parenthesis, as thread names can. */
	private static final String STAT = "4242 (C2 Compiler) Thre) S 1 4242 4242 0 -1 4194560 10 0 0 0 "
			+ "1234 567 0 0 20 0 40 0 100 1000 200 18446744073709551615";

	@Test
	void cpuTicksWhenNameHasSpacesAndParenthesesThenReadsUtimePlusStime() {
		assertThat(ProcStats.cpuTicks(STAT)).isEqualTo(1234 + 567);
	}

	@Test
	void nameIsBetweenTheFirstAndTheLastParenthesis() {
		assertThat(ProcStats.name(STAT)).isEqualTo("C2 Compiler) Thre");
	}

	@Test
	void ticksToMicrosUsesUserHz() {
		assertThat(ProcStats.ticksToMicros(3)).isEqualTo(30_000);
	}

	@Test
	void cpuMicrosOfThisProcessIsNotNegative() {
		assertThat(ProcStats.cpuMicros(ProcessHandle.current().pid())).isGreaterThanOrEqualTo(0);
	}

	@Test
	void cpuMicrosWhenProcessGoneThenMinusOne() {
		assertThat(ProcStats.cpuMicros(Integer.MAX_VALUE)).isEqualTo(-1);
	}

	@Test
	void statusKibReadsTheValueOfTheKey() {
		String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t42\n";
		assertThat(ProcStats.statusKib(status, "VmRSS")).isEqualTo(102_400);
		assertThat(ProcStats.statusKib(status, "VmHWM")).isEqualTo(204_800);
		assertThat(ProcStats.statusKib(status, "Threads")).isEqualTo(42);
		assertThat(ProcStats.statusKib(status, "VmSwap")).isEqualTo(-1);
	}

	@Test
	void groupReplacesRunsOfDigits() {
		assertThat(ProcStats.group("http-nio-18792-exec-12")).isEqualTo("http-nio-#-exec-#");
		assertThat(ProcStats.group("ForkJoinPool-1-")).isEqualTo("ForkJoinPool-#-");
		assertThat(ProcStats.group("main")).isEqualTo("main");
	}

	@Test
	void deltaKeepsGroupsThatUsedCpu() {
		Map<String, Long> before = Map.of("a", 100L, "b", 50L);
		Map<String, Long> after = Map.of("a", 180L, "b", 50L, "c", 7L);
		assertThat(ProcStats.delta(before, after)).containsExactly(Map.entry("a", 80L), Map.entry("c", 7L));
	}

	@Test
	void threadGroupMicrosOfThisProcessNamesItsThreads() {
		assertThat(ProcStats.threadGroupMicros(ProcessHandle.current().pid())).isNotEmpty();
	}

}
