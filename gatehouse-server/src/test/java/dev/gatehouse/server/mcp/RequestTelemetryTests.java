package dev.gatehouse.server.mcp;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code Server-Timing} durations are written as {@code String.format("%.3f", ms)} writes them. */
class RequestTelemetryTests {

	@Test
	void millisIsTheTextOfFormatForEveryNanosecondUpToTwoMilliseconds() {
		for (long nanos = 0; nanos <= 2_000_000; nanos++) {
			assertSame(nanos);
		}
	}

	@Test
	void millisIsTheTextOfFormatAtEveryHalfMicrosecondAndForLargeValues() {
		for (long micros = 0; micros < 5_000_000; micros += 7) {
			assertSame(micros * 1000 + 499);
			assertSame(micros * 1000 + 500);
			assertSame(micros * 1000 + 501);
		}
		Random random = new Random(42);
		for (int i = 0; i < 200_000; i++) {
			assertSame(random.nextLong(3_600_000_000_000L));
		}
	}

	private static void assertSame(long nanos) {
		String expected = String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
		if (!RequestTelemetry.millis(nanos).equals(expected)) {
			assertThat(RequestTelemetry.millis(nanos)).as("%d ns", nanos).isEqualTo(expected);
		}
	}
}
