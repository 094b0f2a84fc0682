package dev.gatehouse.bench.load;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the gateway's {@code /actuator/prometheus} text: sums of a metric's samples, optionally per value of one
 * label.
 */
final class Prometheus {

	private Prometheus() {
	}

	/**
	 * Fetches the exposition text.
	 * @param port the gateway's port
	 * @param bearer the management token ({@code gatehouse.management.token}), or {@code null}
	 * @return the text
	 * @throws IOException if the fetch fails or is not a 200
	 */
	static String scrape(int port, String bearer) throws IOException {
		try (HttpConnection connection = HttpConnection.open(port)) {
			connection.timeout(10_000);
			String auth = (bearer != null) ? "Authorization: Bearer " + bearer + "\r\n" : "";
			int status = connection.exchange(HttpConnection.ascii("GET /actuator/prometheus HTTP/1.1\r\nHost: localhost:"
					+ port + "\r\n" + auth + "Connection: close\r\n\r\n"));
			if (status != 200) {
				throw new IOException("/actuator/prometheus answered " + status);
			}
			return connection.body();
		}
	}

	/**
	 * The sum of a metric's samples whose labels contain every given {@code name="value"} text.
	 * @param text the exposition text
	 * @param metric the sample name (with its suffix, such as {@code _total})
	 * @param labelFilters label texts such as {@code area="heap"}
	 * @return the sum, 0 if none matched
	 */
	static double sum(String text, String metric, String... labelFilters) {
		double sum = 0;
		for (String line : text.split("\n")) {
			if (matches(line, metric, labelFilters)) {
				sum += value(line);
			}
		}
		return sum;
	}

	/**
	 * A metric's sums per value of one label.
	 * @param text the exposition text
	 * @param metric the sample name
	 * @param label the label whose values key the result
	 * @param labelFilters further label texts that must be present
	 * @return label value → sum
	 */
	static Map<String, Double> byLabel(String text, String metric, String label, String... labelFilters) {
		Map<String, Double> sums = new TreeMap<>();
		for (String line : text.split("\n")) {
			if (matches(line, metric, labelFilters)) {
				String key = labelValue(line, label);
				if (key != null) {
					sums.merge(key, value(line), Double::sum);
				}
			}
		}
		return sums;
	}

	private static boolean matches(String line, String metric, String... labelFilters) {
		if (!line.startsWith(metric) || line.length() == metric.length()) {
			return false;
		}
		char next = line.charAt(metric.length());
		if (next != '{' && next != ' ') {
			return false;
		}
		for (String filter : labelFilters) {
			if (!line.contains(filter)) {
				return false;
			}
		}
		return true;
	}

	static String labelValue(String line, String label) {
		String key = label + "=\"";
		int start = line.indexOf(key);
		while (start > 0 && line.charAt(start - 1) != '{' && line.charAt(start - 1) != ',') {
			start = line.indexOf(key, start + 1);
		}
		if (start < 0) {
			return null;
		}
		int from = start + key.length();
		return line.substring(from, line.indexOf('"', from));
	}

	private static double value(String line) {
		int brace = line.lastIndexOf('}');
		String rest = line.substring((brace >= 0) ? brace + 1 : line.indexOf(' ')).trim();
		int space = rest.indexOf(' ');
		return Double.parseDouble((space > 0) ? rest.substring(0, space) : rest);
	}

}
