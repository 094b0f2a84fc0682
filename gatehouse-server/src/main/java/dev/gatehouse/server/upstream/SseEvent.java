package dev.gatehouse.server.upstream;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event.
 *
 * @param id the {@code id} field, or {@code null}
 * @param event the {@code event} field, or {@code null} (meaning {@code message})
 * @param data the {@code data} lines joined by newlines
 * @param retry the {@code retry} field in milliseconds, or -1
 * @see <a href="https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation">
 * HTML: event stream interpretation</a>
 */
public record SseEvent(@Nullable String id, @Nullable String event, String data, long retry) {

	/** Whether the event carries a message (the default type). */
	public boolean isMessage() {
		return event == null || event.equals("message");
	}
}
