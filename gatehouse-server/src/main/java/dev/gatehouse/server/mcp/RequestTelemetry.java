package dev.gatehouse.server.mcp;

import java.time.Duration;
import java.util.Objects;

import io.opentelemetry.context.Context;

/**
 * What the gateway measures about one request from an agent: when it arrived, how long it waited for targets,
 * and the trace context the agent sent. The forwarder brackets each call to a target with
 * {@link #upstreamStarted()} and {@link #upstreamEnded()}; the rest of the request's time is the gateway's own.
 * Thread-safe (a response may be written from another thread than the one that waits).
 *
 * @see <a href="https://www.w3.org/TR/server-timing/">Server Timing</a>
 */
final class RequestTelemetry {

	private final long startNanos;

	private final Context traceParent;

	private long upstreamNanos;

	private long waitingSince;

	private int waits;

	RequestTelemetry(long startNanos, Context traceParent) {
		this.startNanos = startNanos;
		this.traceParent = Objects.requireNonNull(traceParent, "traceParent must not be null");
	}

	/** When the request arrived ({@link System#nanoTime()}). */
	long startNanos() {
		return startNanos;
	}

	/** The agent's trace context ({@code traceparent}), or the root context. */
	Context traceParent() {
		return traceParent;
	}

	synchronized void upstreamStarted() {
		if (waits++ == 0) {
			waitingSince = System.nanoTime();
		}
	}

	synchronized void upstreamEnded() {
		if (waits > 0 && --waits == 0) {
			upstreamNanos += System.nanoTime() - waitingSince;
		}
	}

	/** The time spent waiting for targets so far, including a wait still going on. */
	synchronized Duration upstream() {
		long nanos = upstreamNanos + ((waits > 0) ? System.nanoTime() - waitingSince : 0);
		return Duration.ofNanos(nanos);
	}

	/** Whether a target was called (or is being called). */
	synchronized boolean calledUpstream() {
		return upstreamNanos > 0 || waits > 0;
	}

	/**
	 * The {@code Server-Timing} value now: {@code gw} is the time since arrival less the wait for targets, and
	 * {@code upstream} that wait, when a target was called; in milliseconds. Sent with a JSON answer it covers
	 * the whole request. An SSE stream's headers go out before the answer is known, so there it covers the
	 * request until the stream started: {@code upstream} then includes the call still running.
	 */
	synchronized String serverTiming() {
		long now = System.nanoTime();
		long upstream = upstreamNanos + ((waits > 0) ? now - waitingSince : 0);
		long gateway = Math.max(0, now - startNanos - upstream);
		StringBuilder value = new StringBuilder("gw;dur=").append(millis(gateway));
		if (upstream > 0 || waits > 0) {
			value.append(", upstream;dur=").append(millis(upstream));
		}
		return value.toString();
	}

	/**
	 * Milliseconds with three decimals, rounded half up: the text {@code String.format("%.3f", nanos / 1e6)}
	 * gives, without a {@code Formatter} per header (a test compares the two).
	 */
	static String millis(long nanos) {
		long micros = (nanos + 500) / 1000;
		long fraction = micros % 1000;
		StringBuilder text = new StringBuilder(12).append(micros / 1000).append('.');
		if (fraction < 100) {
			text.append('0');
		}
		if (fraction < 10) {
			text.append('0');
		}
		return text.append(fraction).toString();
	}
}
