package dev.gatehouse.server.upstream;

import java.util.ArrayList;
import java.util.List;

/**
 * Set when the agent cancels a request ({@code notifications/cancelled}, or closing a 2026-07-28 stream);
 * whoever waits on the target registers what to abort. Thread-safe.
 */
public final class CancellationSignal {

	private final List<Runnable> actions = new ArrayList<>();

	private boolean cancelled;

	/** Cancels, running every registered action once. */
	public void cancel() {
		List<Runnable> run;
		synchronized (this) {
			if (cancelled) {
				return;
			}
			cancelled = true;
			run = new ArrayList<>(actions);
			actions.clear();
		}
		run.forEach(Runnable::run);
	}

	public synchronized boolean isCancelled() {
		return cancelled;
	}

	/** Runs {@code action} on cancellation, or now if already cancelled. */
	public void onCancel(Runnable action) {
		synchronized (this) {
			if (!cancelled) {
				actions.add(action);
				return;
			}
		}
		action.run();
	}

	/** Forgets an action registered earlier (the call finished). */
	public synchronized void remove(Runnable action) {
		actions.remove(action);
	}
}
