package dev.gatehouse.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads HTTP/1.1 requests with a {@code Content-Length} body (or none) from one keep-alive connection into a
 * reused buffer, for the fake upstream. Chunked request bodies are not supported (no client of the harness sends
 * one). Not thread-safe: one per connection.
 */
final class HttpRequestReader {

	private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);

	private final InputStream in;

	private byte[] buffer = new byte[16 * 1024];

	private int start;

	private int limit;

	/** The request method's first letter: {@code P}ost, {@code G}et, {@code D}elete, … */
	private byte method;

	private int headStart;

	private int bodyStart;

	private int bodyEnd;

	private boolean close;

	HttpRequestReader(InputStream in) {
		this.in = in;
	}

	/**
	 * Reads the next request, discarding the previous one.
	 * @return {@code false} at a clean end of stream between requests
	 * @throws IOException if the connection fails or a request is malformed
	 */
	boolean next() throws IOException {
		this.start = this.bodyEnd;
		int headEnd;
		while ((headEnd = headEnd()) < 0) {
			if (!fill()) {
				if (this.limit == this.start) {
					return false;
				}
				throw new EOFException("connection closed inside a request head");
			}
		}
		this.headStart = this.start;
		this.method = this.buffer[this.start];
		int contentLength = contentLength(this.start, headEnd);
		this.close = containsIgnoreCase(this.start, headEnd, CONNECTION_CLOSE);
		this.bodyStart = headEnd;
		this.bodyEnd = headEnd + contentLength;
		while (this.limit < this.bodyEnd) {
			if (!fill()) {
				throw new EOFException("connection closed inside a request body");
			}
		}
		return true;
	}

	/**
	 * Whether the request line starts with these bytes.
	 * @param prefix for example {@code GET /bench/stats}
	 * @return {@code true} if it does
	 */
	boolean startsWith(byte[] prefix) {
		if (this.headStart + prefix.length > this.bodyStart) {
			return false;
		}
		for (int i = 0; i < prefix.length; i++) {
			if (this.buffer[this.headStart + i] != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	byte method() {
		return this.method;
	}

	byte[] buffer() {
		return this.buffer;
	}

	int bodyStart() {
		return this.bodyStart;
	}

	int bodyEnd() {
		return this.bodyEnd;
	}

	boolean close() {
		return this.close;
	}

	private int headEnd() {
		for (int i = this.start; i + 3 < this.limit; i++) {
			if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n' && this.buffer[i + 2] == '\r'
					&& this.buffer[i + 3] == '\n') {
				return i + 4;
			}
		}
		return -1;
	}

	/** Reads more bytes, compacting or growing the buffer first when it is full. */
	private boolean fill() throws IOException {
		if (this.limit == this.buffer.length) {
			int keep = this.limit - this.start;
			byte[] target = (this.start == 0) ? Arrays.copyOf(this.buffer, this.buffer.length * 2) : this.buffer;
			System.arraycopy(this.buffer, this.start, target, 0, keep);
			this.buffer = target;
			this.headStart -= this.start;
			this.bodyStart -= this.start;
			this.bodyEnd -= this.start;
			this.limit = keep;
			this.start = 0;
		}
		int read = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (read < 0) {
			return false;
		}
		this.limit += read;
		return true;
	}

	private int contentLength(int from, int to) throws IOException {
		int at = indexOfIgnoreCase(from, to, CONTENT_LENGTH);
		if (at < 0) {
			return 0;
		}
		int value = 0;
		for (int i = at + CONTENT_LENGTH.length; i < to && this.buffer[i] != '\r'; i++) {
			byte b = this.buffer[i];
			if (b >= '0' && b <= '9') {
				value = value * 10 + (b - '0');
			}
		}
		return value;
	}

	private boolean containsIgnoreCase(int from, int to, byte[] needle) {
		return indexOfIgnoreCase(from, to, needle) >= 0;
	}

	private int indexOfIgnoreCase(int from, int to, byte[] lowerNeedle) {
		outer: for (int i = from; i + lowerNeedle.length <= to; i++) {
			for (int j = 0; j < lowerNeedle.length; j++) {
				byte b = this.buffer[i + j];
				if (b >= 'A' && b <= 'Z') {
					b = (byte) (b + 32);
				}
				if (b != lowerNeedle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
