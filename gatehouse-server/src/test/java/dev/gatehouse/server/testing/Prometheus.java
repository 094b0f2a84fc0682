package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scrape of a gateway's {@code /actuator/prometheus}, parsed from the text exposition format into samples.
 */
public final class Prometheus {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** One line: a metric name, its labels and its value. */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

	private final List<Sample> samples;

	private final String text;

	private Prometheus(String text) {
		this.text = text;
		this.samples = parse(text);
	}

	/** Scrapes {@code {baseUrl}/actuator/prometheus} with the test gateways' management token. */
	public static Prometheus scrape(String baseUrl) {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
						.header("Authorization", "Bearer " + TestGateway.MANAGEMENT_TOKEN)
						.GET()
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return new Prometheus(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public String text() {
		return text;
	}

	/** Samples of {@code name} whose labels include every given one. */
	public List<Sample> find(String name, Map<String, String> labels) {
		return samples.stream()
			.filter((s) -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/** The sum of the samples of {@code name} whose labels include every given one (0 when there are none). */
	public double value(String name, Map<String, String> labels) {
		return find(name, labels).stream().mapToDouble(Sample::value).sum();
	}

	public double value(String name, String... labelPairs) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (int i = 0; i < labelPairs.length; i += 2) {
			labels.put(labelPairs[i], labelPairs[i + 1]);
		}
		return value(name, labels);
	}

	private static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int space = line.lastIndexOf(' ');
			String series = line.substring(0, space);
			double value = Double.parseDouble(line.substring(space + 1));
			int brace = series.indexOf('{');
			if (brace < 0) {
				samples.add(new Sample(series, Map.of(), value));
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>();
			String body = series.substring(brace + 1, series.lastIndexOf('}'));
			int i = 0;
			while (i < body.length()) {
				int eq = body.indexOf('=', i);
				String key = body.substring(i, eq).strip();
				StringBuilder val = new StringBuilder();
				int j = eq + 2;
				while (body.charAt(j) != '"') {
					if (body.charAt(j) == '\\') {
						j++;
					}
					val.append(body.charAt(j++));
				}
				labels.put(key, val.toString());
				i = j + 1;
				if (i < body.length() && body.charAt(i) == ',') {
					i++;
				}
			}
			samples.add(new Sample(series.substring(0, brace), labels, value));
		}
		return samples;
	}
}
