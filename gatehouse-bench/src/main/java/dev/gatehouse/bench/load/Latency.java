package dev.gatehouse.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in microseconds.
 *
 * @param count recorded values
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest value
 * @param mean mean
 */
record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {

	/** No values. */
	static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

	/**
	 * Reads a histogram of nanoseconds.
	 * @param nanos the histogram
	 * @return its percentiles in microseconds
	 */
	static Latency of(Histogram nanos) {
		if (nanos.getTotalCount() == 0) {
			return NONE;
		}
		return new Latency(nanos.getTotalCount(), micros(nanos.getValueAtPercentile(50)),
				micros(nanos.getValueAtPercentile(90)), micros(nanos.getValueAtPercentile(99)),
				micros(nanos.getValueAtPercentile(99.9)), micros(nanos.getMaxValue()), nanos.getMean() / 1000.0);
	}

	/** A histogram of nanoseconds from 1 µs to 60 s with 3 significant digits. */
	static Histogram histogram() {
		return new Histogram(1_000, 60_000_000_000L, 3);
	}

	private static double micros(long nanos) {
		return nanos / 1000.0;
	}

}
