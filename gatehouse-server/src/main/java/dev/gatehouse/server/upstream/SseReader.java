package dev.gatehouse.server.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Reads Server-Sent Events from a byte stream, one event at a time, blocking. Accepts {@code \n}, {@code \r\n}
 * and {@code \r} line ends, ignores comments, and refuses an event larger than a limit. Not thread-safe.
 */
final class SseReader {

	private final InputStream in;

	private final int maxEventBytes;

	private final byte[] buffer = new byte[8192];

	private int position;

	private int limit;

	private boolean lastWasCr;

	SseReader(InputStream in, int maxEventBytes) {
		this.in = in;
		this.maxEventBytes = maxEventBytes;
	}

	/** The next event with data or a retry field, or {@code null} at the end of the stream. */
	@Nullable SseEvent next() throws IOException {
		StringBuilder data = null;
		String id = null;
		String event = null;
		long retry = -1;
		int size = 0;
		while (true) {
			String line = readLine();
			if (line == null) {
				return null;
			}
			if (line.isEmpty()) {
				if (data != null || retry >= 0) {
					return new SseEvent(id, event, (data != null) ? data.toString() : "", retry);
				}
				id = null;
				event = null;
				continue;
			}
			size += line.length();
			if (size > maxEventBytes) {
				throw new IOException("an SSE event exceeds " + maxEventBytes + " bytes");
			}
			if (line.charAt(0) == ':') {
				continue;
			}
			int colon = line.indexOf(':');
			String field = (colon < 0) ? line : line.substring(0, colon);
			String value = (colon < 0) ? "" : line.substring(colon + 1);
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			switch (field) {
				case "data" -> {
					if (data == null) {
						data = new StringBuilder(value);
					}
					else {
						data.append('\n').append(value);
					}
				}
				case "id" -> {
					if (value.indexOf('\0') < 0) {
						id = value;
					}
				}
				case "event" -> event = value;
				case "retry" -> retry = parseRetry(value);
				default -> {
				}
			}
		}
	}

	private static long parseRetry(String value) {
		if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Long.parseLong(value);
	}

	private @Nullable String readLine() throws IOException {
		java.io.ByteArrayOutputStream line = null;
		int start = position;
		while (true) {
			if (position == limit) {
				if (line == null) {
					line = new java.io.ByteArrayOutputStream();
				}
				line.write(buffer, start, position - start);
				if (line.size() > maxEventBytes) {
					throw new IOException("an SSE line exceeds " + maxEventBytes + " bytes");
				}
				if (!fill()) {
					return (line.size() > 0) ? line.toString(StandardCharsets.UTF_8) : null;
				}
				start = 0;
			}
			byte b = buffer[position];
			if (lastWasCr && b == '\n' && position == start && (line == null || line.size() == 0)) {
				lastWasCr = false;
				position++;
				start = position;
				continue;
			}
			lastWasCr = false;
			if (b == '\n' || b == '\r') {
				String text = (line == null) ? new String(buffer, start, position - start, StandardCharsets.UTF_8)
						: concat(line, start);
				lastWasCr = b == '\r';
				position++;
				return text;
			}
			position++;
		}
	}

	private String concat(java.io.ByteArrayOutputStream line, int start) {
		line.write(buffer, start, position - start);
		return line.toString(StandardCharsets.UTF_8);
	}

	private boolean fill() throws IOException {
		int n = in.read(buffer, 0, buffer.length);
		if (n <= 0) {
			position = 0;
			limit = 0;
			return false;
		}
		position = 0;
		limit = n;
		return true;
	}
}
