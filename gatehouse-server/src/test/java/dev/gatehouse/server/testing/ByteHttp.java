package dev.gatehouse.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests that {@code java.net.http} refuses to send (binary
 * header values, malformed bodies with any declared length). One request per connection.
 */
public final class ByteHttp {

	private ByteHttp() {
	}

	/**
	 * Sends one request and reads the whole response.
	 *
	 * @param port the server's loopback port
	 * @param head the request line and headers, each line without its CRLF; {@code Host}, {@code Connection:
	 * close} and {@code Content-Length} are added
	 * @param body the body, sent as given
	 * @param timeout how long to wait for the whole answer before failing with {@link SocketTimeoutException}
	 */
	public static Response send(int port, byte[] head, byte[] body, Duration timeout) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout((int) timeout.toMillis());
			OutputStream out = socket.getOutputStream();
			try {
				out.write(head);
				out.write(("\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\nContent-Length: " + body.length
						+ "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
				out.write(body);
				out.flush();
			}
			catch (java.net.SocketException refusedEarly) {
				// The server answered and closed before reading everything (a request head it refuses at once,
				// such as one too large): its answer is still there to read.
			}
			return parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		try {
			while ((n = in.read(buffer)) >= 0) {
				all.write(buffer, 0, n);
			}
		}
		catch (java.net.SocketException reset) {
			// The server closed after answering (e.g. a request it refused before reading the body).
			if (all.size() == 0) {
				throw reset;
			}
		}
		return all.toByteArray();
	}

	private static Response parse(byte[] raw) {
		String text = new String(raw, StandardCharsets.ISO_8859_1);
		int end = text.indexOf("\r\n\r\n");
		String head = (end >= 0) ? text.substring(0, end) : text;
		String body = (end >= 0) ? text.substring(end + 4) : "";
		String[] lines = head.split("\r\n");
		if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 ")) {
			throw new IllegalStateException("not an HTTP response: " + head);
		}
		int status = Integer.parseInt(lines[0].substring(9, 12));
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
			}
		}
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = unchunk(body);
		}
		return new Response(status, headers, body);
	}

	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (at < chunked.length()) {
			int line = chunked.indexOf("\r\n", at);
			if (line < 0) {
				break;
			}
			String size = chunked.substring(at, line).split(";")[0].strip();
			int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
			if (length == 0) {
				break;
			}
			body.append(chunked, line + 2, Math.min(chunked.length(), line + 2 + length));
			at = line + 2 + length + 2;
		}
		return body.toString();
	}

	/**
	 * An answer.
	 *
	 * @param status its status code
	 * @param headers its headers, names in lower case
	 * @param body its body, decoded as ISO-8859-1 (byte for byte)
	 */
	public record Response(int status, Map<String, String> headers, String body) {
	}
}
