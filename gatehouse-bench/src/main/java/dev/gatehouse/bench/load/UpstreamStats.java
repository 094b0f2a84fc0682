package dev.gatehouse.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fake upstream received, by kind, served as JSON at {@value #PATH}: so that the harness can tell how
 * many upstream requests (and connections) each call through a proxy cost. Thread-safe.
 */
final class UpstreamStats {

	/** Where the counts are served (GET). */
	static final String PATH = "/bench/stats";

	/** What is counted. */
	enum Kind {

		CONNECTION, INITIALIZE, NOTIFICATION, TOOLS_LIST, TOOLS_CALL, OTHER, GET, DELETE;

		String jsonName() {
			String[] words = name().toLowerCase(Locale.ROOT).split("_");
			StringBuilder name = new StringBuilder(words[0]);
			for (int i = 1; i < words.length; i++) {
				name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
			}
			return name.toString();
		}

	}

	private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

	UpstreamStats() {
		for (Kind kind : Kind.values()) {
			this.counts.put(kind, new LongAdder());
		}
	}

	void count(Kind kind) {
		this.counts.get(kind).increment();
	}

	/** Writes the HTTP response holding the counts. */
	void write(ByteArrayOutputStream out) {
		Map<String, Object> map = new LinkedHashMap<>();
		this.counts.forEach((kind, count) -> map.put(kind.jsonName(), count.sum()));
		byte[] body = Json.write(map).getBytes(StandardCharsets.UTF_8);
		out.writeBytes(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(body);
	}

	/**
	 * Fetches the counts of a running upstream.
	 * @param port its port
	 * @return count by JSON name, empty if the fetch failed
	 */
	static Map<String, Long> fetch(int port) {
		Map<String, Long> counts = new LinkedHashMap<>();
		try (HttpConnection connection = HttpConnection.open(port)) {
			connection.timeout(10_000);
			if (connection.exchange(HttpConnection.ascii("GET " + PATH + " HTTP/1.1\r\nHost: localhost\r\n\r\n")) == 200) {
				for (String line : connection.body().split("\n")) {
					int colon = line.indexOf(':');
					if (colon > 0) {
						String name = line.substring(0, colon).trim().replace("\"", "");
						counts.put(name, Long.parseLong(line.substring(colon + 1).replace(",", "").trim()));
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// no counts: the figure is left out
		}
		return counts;
	}

	/**
	 * The counts per call between two fetches, leaving out kinds that did not change.
	 * @param before the first fetch
	 * @param after the second
	 * @param calls the calls made in between
	 * @return count per call by name
	 */
	static Map<String, Double> perCall(Map<String, Long> before, Map<String, Long> after, long calls) {
		Map<String, Double> perCall = new LinkedHashMap<>();
		after.forEach((name, count) -> {
			long delta = count - before.getOrDefault(name, 0L);
			if (delta > 0 && calls > 0) {
				perCall.put(name, (double) delta / calls);
			}
		});
		return perCall;
	}

}
