package dev.gatehouse.server.mcp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.core.jsonrpc.JsonRpcMessage;
import dev.gatehouse.core.jsonrpc.JsonRpcResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * The answer to one POSTed request. It stays plain JSON ({@code application/json}) when the answer is all
 * there is; the first message sent before the answer (progress, logging, a server→client request) turns it
 * into an SSE stream ({@code text/event-stream}) that ends after the answer. Writes are serialised, because
 * relayed messages may come from another thread. A failed write marks the channel broken: the agent has gone.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#sending-messages-to-the-server">
 * Sending messages to the server</a>
 */
final class HttpResponseChannel implements ResponseChannel {

	private static final byte[] EVENT_PREFIX = "event: message\ndata: ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_SUFFIX = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private final HttpServletResponse response;

	private final JsonRpcCodec codec;

	private final @Nullable RequestTelemetry telemetry;

	private boolean streaming;

	private boolean completed;

	private volatile boolean broken;

	private @Nullable Runnable onBroken;

	/**
	 * @param telemetry the request's timing, sent as {@code Server-Timing} with the headers, or {@code null} for none
	 */
	HttpResponseChannel(HttpServletResponse response, JsonRpcCodec codec, @Nullable RequestTelemetry telemetry) {
		this.response = Objects.requireNonNull(response, "response must not be null");
		this.codec = codec;
		this.telemetry = telemetry;
	}

	/** Runs {@code action} once if a write fails because the agent went away. */
	@Override
	public synchronized void onBroken(Runnable action) {
		this.onBroken = action;
		if (broken) {
			action.run();
		}
	}

	@Override
	public boolean isBroken() {
		return broken;
	}

	@Override
	public synchronized boolean isCompleted() {
		return completed;
	}

	/** Sends a message before the answer, switching to SSE. Dropped after the answer. */
	@Override
	public synchronized void send(JsonRpcMessage message) {
		if (completed || broken) {
			return;
		}
		startStream();
		writeEvent(codec.write(message));
	}

	/** Sends an SSE comment to an open stream, or starts one, to learn early whether the agent left. */
	@Override
	public synchronized void keepAlive() {
		if (completed || broken) {
			return;
		}
		startStream();
		write(KEEP_ALIVE);
	}

	/** Sends the answer and ends the response. */
	@Override
	public synchronized void complete(JsonRpcResponse answer, int httpStatus) {
		if (completed) {
			return;
		}
		completed = true;
		if (broken) {
			return;
		}
		byte[] body = codec.write(answer);
		if (streaming) {
			writeEvent(body);
			return;
		}
		response.setStatus(httpStatus);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		if (telemetry != null) {
			response.setHeader("Server-Timing", telemetry.serverTiming());
		}
		write(body);
	}

	@Override
	public synchronized void complete(JsonRpcResponse answer) {
		complete(answer, HttpServletResponse.SC_OK);
	}

	private void startStream() {
		if (streaming) {
			return;
		}
		streaming = true;
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream");
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache, no-transform");
		response.setHeader("X-Accel-Buffering", "no");
		if (telemetry != null) {
			// The headers go out before the answer is known: the timing covers the request until now.
			response.setHeader("Server-Timing", telemetry.serverTiming());
		}
	}

	private void writeEvent(byte[] json) {
		if (broken) {
			return;
		}
		try {
			OutputStream out = response.getOutputStream();
			out.write(EVENT_PREFIX);
			out.write(json);
			out.write(EVENT_SUFFIX);
			out.flush();
		}
		catch (IOException ex) {
			markBroken();
		}
	}

	private void write(byte[] bytes) {
		if (broken) {
			return;
		}
		try {
			OutputStream out = response.getOutputStream();
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			markBroken();
		}
	}

	private void markBroken() {
		broken = true;
		Runnable action = onBroken;
		if (action != null) {
			action.run();
		}
	}
}
