package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to a loopback port, for requests {@code java.net.http} will not send: a
 * {@code Host} header of the test's choosing. One request per connection.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** A response: status, headers (names in lower case), body. */
	public record Response(int status, Map<String, List<String>> headers, String body) {

		public String header(String name) {
			List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
			return (values == null || values.isEmpty()) ? null : values.get(0);
		}

		public List<String> all(String name) {
			return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
		}

		/** A query parameter of the {@code Location} header, decoded, or {@code null}. */
		public String locationParameter(String name) {
			String location = header("Location");
			if (location == null || location.indexOf('?') < 0) {
				return null;
			}
			for (String pair : location.substring(location.indexOf('?') + 1).split("&")) {
				int eq = pair.indexOf('=');
				if (eq > 0 && pair.substring(0, eq).equals(name)) {
					return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
				}
			}
			return null;
		}
	}

	public static Response get(int port, String path, String host, Map<String, String> headers) {
		return send(port, "GET", path, host, headers, null);
	}

	public static Response postForm(int port, String path, String host, Map<String, String> headers, String form) {
		Map<String, String> all = new LinkedHashMap<>(headers);
		all.put("Content-Type", "application/x-www-form-urlencoded");
		return send(port, "POST", path, host, all, form);
	}

	public static Response send(int port, String method, String path, String host, Map<String, String> headers,
			String body) {
		byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
		request.append("Host: ").append(host).append("\r\nConnection: close\r\n");
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		if (body != null) {
			request.append("Content-Length: ").append(bytes.length).append("\r\n");
		}
		request.append("\r\n");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(bytes);
			out.flush();
			InputStream in = socket.getInputStream();
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Response parse(String raw) {
		int end = raw.indexOf("\r\n\r\n");
		String head = (end >= 0) ? raw.substring(0, end) : raw;
		String body = (end >= 0) ? raw.substring(end + 4) : "";
		String[] lines = head.split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), (k) -> new ArrayList<>())
					.add(lines[i].substring(colon + 1).trim());
			}
		}
		return new Response(status, headers, body);
	}
}
