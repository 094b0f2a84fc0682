package dev.gatehouse.bench.load;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection of the load client: writes pre-built request bytes and reads the response
 * (a {@code Content-Length} body, a chunked body, or a body closed by the server) into a reused buffer. Much
 * cheaper per request than {@code java.net.http}, which matters when the client shares two cores with the
 * processes it measures. Not thread-safe: one per client thread.
 */
final class HttpConnection implements Closeable {

	private static final byte[] SESSION_HEADER = ascii("\r\nmcp-session-id:");

	private static final byte[] LENGTH_HEADER = ascii("\r\ncontent-length:");

	private static final byte[] ENCODING_HEADER = ascii("\r\ntransfer-encoding:");

	private static final byte[] CONNECTION_HEADER = ascii("\r\nconnection:");

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private byte[] buffer = new byte[32 * 1024];

	private int position;

	private int limit;

	private int bodyStart;

	private int bodyEnd;

	private String sessionId;

	private int headEnd;

	private boolean closeRequested;

	private HttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = socket.getInputStream();
		this.out = socket.getOutputStream();
	}

	/**
	 * Connects to a loopback port.
	 * @param port the port on 127.0.0.1
	 * @return the connection
	 * @throws IOException if it cannot connect
	 */
	static HttpConnection open(int port) throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		return new HttpConnection(socket);
	}

	void timeout(int millis) throws IOException {
		this.socket.setSoTimeout(millis);
	}

	/**
	 * Sends a request and reads its whole response.
	 * @param request the request bytes
	 * @return the status code
	 * @throws IOException if the connection fails or the response is malformed
	 */
	int exchange(byte[] request) throws IOException {
		send(request);
		int status = readHead();
		readBody();
		return status;
	}

	void send(byte[] request) throws IOException {
		this.out.write(request);
		this.out.flush();
	}

	/**
	 * Reads a response's status line and headers (for a held stream, without its body).
	 * @return the status code
	 * @throws IOException if the connection fails
	 */
	int readHead() throws IOException {
		compact();
		int headEnd;
		while ((headEnd = headEnd()) < 0) {
			fill();
		}
		int status = status();
		this.sessionId = header(this.position, headEnd, SESSION_HEADER);
		String connection = header(this.position, headEnd, CONNECTION_HEADER);
		this.closeRequested = connection != null && connection.equalsIgnoreCase("close");
		this.bodyStart = headEnd;
		this.bodyEnd = -1;
		this.headEnd = headEnd;
		return status;
	}

	/** Reads the body of the response whose head {@link #readHead()} read. */
	void readBody() throws IOException {
		int headEnd = this.headEnd;
		String length = header(this.position, headEnd, LENGTH_HEADER);
		String encoding = header(this.position, headEnd, ENCODING_HEADER);
		if (length != null) {
			int end = headEnd + Integer.parseInt(length);
			while (this.limit < end) {
				fill();
			}
			this.bodyEnd = end;
		}
		else if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
			readChunked(headEnd);
		}
		else {
			while (fillOrEof()) {
				// read to the end of the stream
			}
			this.bodyEnd = this.limit;
		}
		this.position = this.bodyEnd;
	}

	/** Whether the last response said {@code Connection: close}. */
	boolean closeRequested() {
		return this.closeRequested;
	}

	/** The session id of the last response, or {@code null}. */
	String sessionId() {
		return this.sessionId;
	}

	/**
	 * Whether the last body contains these bytes.
	 * @param needle the bytes
	 * @return {@code true} if found
	 */
	boolean bodyContains(byte[] needle) {
		return JsonPeek.indexOf(this.buffer, this.bodyStart, this.bodyEnd, needle) >= 0;
	}

	String body() {
		return new String(this.buffer, this.bodyStart, this.bodyEnd - this.bodyStart, StandardCharsets.UTF_8);
	}

	/**
	 * Decodes a chunked body in place: the chunks' data is moved together so that the body is contiguous.
	 */
	private void readChunked(int from) throws IOException {
		int write = from;
		int read = from;
		while (true) {
			int lineEnd;
			while ((lineEnd = lineEnd(read)) < 0) {
				fill();
			}
			int size = chunkSize(read, lineEnd);
			read = lineEnd + 2;
			if (size == 0) {
				while (lineEnd(read) < 0) {
					fill();
				}
				read = lineEnd(read) + 2;
				break;
			}
			while (this.limit < read + size + 2) {
				fill();
			}
			System.arraycopy(this.buffer, read, this.buffer, write, size);
			write += size;
			read += size + 2;
		}
		// the bytes after the terminal chunk belong to the next response: move them after the body
		int rest = this.limit - read;
		System.arraycopy(this.buffer, read, this.buffer, write, rest);
		this.limit = write + rest;
		this.bodyEnd = write;
	}

	private int chunkSize(int from, int to) throws IOException {
		int size = 0;
		for (int i = from; i < to; i++) {
			int digit = Character.digit(this.buffer[i], 16);
			if (digit < 0) {
				if (this.buffer[i] == ';' || this.buffer[i] == ' ') {
					break;
				}
				throw new IOException("bad chunk size");
			}
			size = size * 16 + digit;
		}
		return size;
	}

	private int lineEnd(int from) {
		for (int i = from; i + 1 < this.limit; i++) {
			if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private int status() throws IOException {
		// "HTTP/1.1 200 "
		int at = this.position + 9;
		if (this.limit < at + 3) {
			throw new IOException("short status line");
		}
		return (this.buffer[at] - '0') * 100 + (this.buffer[at + 1] - '0') * 10 + (this.buffer[at + 2] - '0');
	}

	private int headEnd() {
		for (int i = Math.max(this.position, 0); i + 3 < this.limit; i++) {
			if (this.buffer[i] == '\r' && this.buffer[i + 1] == '\n' && this.buffer[i + 2] == '\r'
					&& this.buffer[i + 3] == '\n') {
				return i + 4;
			}
		}
		return -1;
	}

	/** A header's trimmed value (name given lower-case with its leading CRLF and colon), or {@code null}. */
	private String header(int from, int to, byte[] lowerName) {
		outer: for (int i = from; i + lowerName.length <= to; i++) {
			for (int j = 0; j < lowerName.length; j++) {
				byte b = this.buffer[i + j];
				if (b >= 'A' && b <= 'Z') {
					b = (byte) (b + 32);
				}
				if (b != lowerName[j]) {
					continue outer;
				}
			}
			int start = i + lowerName.length;
			int end = start;
			while (end < to && this.buffer[end] != '\r') {
				end++;
			}
			return new String(this.buffer, start, end - start, StandardCharsets.US_ASCII).trim();
		}
		return null;
	}

	/** Moves unread bytes to the start of the buffer. */
	private void compact() {
		if (this.position > 0) {
			int rest = this.limit - this.position;
			System.arraycopy(this.buffer, this.position, this.buffer, 0, rest);
			this.limit = rest;
			this.position = 0;
		}
	}

	private void fill() throws IOException {
		if (!fillOrEof()) {
			throw new EOFException("connection closed by the server");
		}
	}

	private boolean fillOrEof() throws IOException {
		if (this.limit == this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
		}
		int read = this.in.read(this.buffer, this.limit, this.buffer.length - this.limit);
		if (read < 0) {
			return false;
		}
		this.limit += read;
		return true;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
