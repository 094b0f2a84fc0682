package dev.gatehouse.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test steps it, shared by the gateway, the identity provider and the targets
 * of a test so that token lifetimes can be crossed in an instant. {@link #offset(Duration)} gives a view running
 * ahead of (or behind) it, for a target whose clock disagrees. Thread-safe.
 */
public final class SteppedClock extends Clock {

	private volatile Instant now;

	private volatile Duration offset;

	private final SteppedClock base;

	public SteppedClock(Instant start) {
		this.now = start;
		this.offset = Duration.ZERO;
		this.base = null;
	}

	private SteppedClock(SteppedClock base, Duration offset) {
		this.base = base;
		this.offset = offset;
	}

	/** Starts at the current real time (whole milliseconds). */
	public static SteppedClock startingNow() {
		return new SteppedClock(Instant.ofEpochMilli(Clock.systemUTC().millis()));
	}

	/** A view {@code offset} ahead of this clock, stepping with it. */
	public SteppedClock offset(Duration offset) {
		return new SteppedClock(this, offset);
	}

	/** Moves this view further ahead (or back, with a negative shift) of its base. */
	public void shift(Duration by) {
		if (base == null) {
			throw new UnsupportedOperationException("only an offset view can be shifted");
		}
		offset = offset.plus(by);
	}

	public void advance(Duration step) {
		if (base != null) {
			throw new UnsupportedOperationException("step the base clock");
		}
		now = now.plus(step);
	}

	@Override
	public Instant instant() {
		return (base != null) ? base.instant().plus(offset) : now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}
}
