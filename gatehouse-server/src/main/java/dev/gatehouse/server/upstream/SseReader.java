package dev.gatehouse.server.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.core.jsonrpc.Utf8Validator;
import org.jspecify.annotations.Nullable;

/**
 * Reads Server-Sent Events from a byte stream, one event at a time, blocking. Follows the event-stream
 * interpretation of the HTML standard: {@code \n}, {@code \r\n} and {@code \r} line ends (also split across
 * reads), a leading byte order mark ignored, comments ignored, an event with an id but no data still reported
 * (so its id can be used to resume). The size limit applies to each event in UTF-8 bytes. Not thread-safe.
 *
 * @see <a href="https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation">
 * HTML: event stream interpretation</a>
 */
final class SseReader {

	private final InputStream in;

	private final int maxEventBytes;

	private final byte[] buffer = new byte[8192];

	private final LineBuffer line = new LineBuffer();

	private int position;

	private int limit;

	private boolean skipLineFeed;

	/** A UTF-8 byte order mark, ignored once at the start of the stream. */
	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private int bomMatched;

	SseReader(InputStream in, int maxEventBytes) {
		this.in = in;
		this.maxEventBytes = maxEventBytes;
	}

	/** The next event with data, an id, or a retry field; {@code null} at the end of the stream. */
	@Nullable SseEvent next() throws IOException {
		StringBuilder data = null;
		String id = null;
		String event = null;
		long retry = -1;
		int size = 0;
		while (true) {
			String text = readLine();
			if (text == null) {
				return null;
			}
			if (text.isEmpty()) {
				if (data != null || id != null || retry >= 0) {
					return new SseEvent(id, event, (data != null) ? data.toString() : "", retry);
				}
				event = null;
				size = 0;
				continue;
			}
			size += lastLineBytes;
			if (size > maxEventBytes) {
				throw new IOException("an SSE event exceeds " + maxEventBytes + " bytes");
			}
			if (text.charAt(0) == ':') {
				continue;
			}
			int colon = text.indexOf(':');
			String field = (colon < 0) ? text : text.substring(0, colon);
			String value = (colon < 0) ? "" : text.substring(colon + 1);
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			switch (field) {
				case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
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

	private int lastLineBytes;

	private static long parseRetry(String value) {
		if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Long.parseLong(value);
	}

	/** The next line without its end, or {@code null} at the end of the stream with nothing read. */
	private @Nullable String readLine() throws IOException {
		line.reset();
		while (true) {
			if (position == limit && !fill()) {
				if (line.size() == 0) {
					return null;
				}
				return finishLine();
			}
			byte b = buffer[position++];
			if (bomMatched < BOM.length) {
				if (b == BOM[bomMatched]) {
					bomMatched++;
					continue;
				}
				line.write(BOM, 0, bomMatched);
				bomMatched = BOM.length;
			}
			if (skipLineFeed) {
				skipLineFeed = false;
				if (b == '\n') {
					continue;
				}
			}
			if (b == '\n' || b == '\r') {
				skipLineFeed = b == '\r';
				return finishLine();
			}
			line.write(b);
			if (line.size() > maxEventBytes) {
				throw new IOException("an SSE event exceeds " + maxEventBytes + " bytes");
			}
		}
	}

	private String finishLine() throws IOException {
		lastLineBytes = line.size();
		int malformed = Utf8Validator.firstMalformed(line.bytes(), 0, line.size());
		if (malformed >= 0) {
			throw new IOException("an SSE line is not well-formed UTF-8 at byte offset " + malformed + " of the line: "
					+ Utf8Validator.describe(java.util.Arrays.copyOf(line.bytes(), line.size()), malformed));
		}
		return line.toString(StandardCharsets.UTF_8);
	}

	/** A line's bytes, checked in place without a copy. */
	private static final class LineBuffer extends ByteArrayOutputStream {

		byte[] bytes() {
			return buf;
		}

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
