package dev.gatehouse.bench.load;

/**
 * What one load run measured.
 *
 * @param requests calls completed in the measured period (successful or not)
 * @param errors calls that failed (connection error, non-200, JSON-RPC error or tool error)
 * @param seconds the measured period
 * @param latency per-call latency; for an open-loop run, measured from each call's intended start (corrected for
 * coordinated omission)
 * @param service per-call latency from the call's actual start (for a closed-loop run, the same as
 * {@code latency})
 * @param firstError the first failure, or {@code null}
 * @param allCalls calls made including the warm-up (what the processes' CPU time was spent on)
 */
record LoadResult(long requests, long errors, double seconds, Latency latency, Latency service, String firstError,
		long allCalls) {

	/**
	 * Completed calls per second.
	 * @return the throughput
	 */
	double rps() {
		return (this.seconds > 0) ? this.requests / this.seconds : 0;
	}

}
