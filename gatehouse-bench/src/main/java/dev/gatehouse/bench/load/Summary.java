package dev.gatehouse.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The ratios and differences the harness reports, computed within each pass (the treatments of one pass ran
 * minutes apart at most) and then summarised over the passes as mean [min–max]; and the human summary.
 */
final class Summary {

	static final String DIRECT = "direct";

	static final String NGINX = "nginx";

	static final String GATEWAY = "gateway";

	private Summary() {
	}

	/**
	 * Mean, minimum and maximum of some values.
	 *
	 * @param mean the mean
	 * @param min the smallest
	 * @param max the largest
	 * @param count how many
	 */
	record Stats(double mean, double min, double max, int count) {

		static Stats of(List<Double> values) {
			if (values.isEmpty()) {
				return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
			}
			double sum = 0;
			double min = Double.POSITIVE_INFINITY;
			double max = Double.NEGATIVE_INFINITY;
			for (double value : values) {
				sum += value;
				min = Math.min(min, value);
				max = Math.max(max, value);
			}
			return new Stats(sum / values.size(), min, max, values.size());
		}

		String format(String pattern) {
			if (this.count == 0) {
				return "n/a";
			}
			String mean = String.format(Locale.ROOT, pattern, this.mean);
			return (this.count == 1) ? mean
					: mean + " [" + String.format(Locale.ROOT, pattern, this.min) + "–"
							+ String.format(Locale.ROOT, pattern, this.max) + "]";
		}

		Map<String, Object> toMap() {
			return Map.of("mean", this.mean, "min", this.min, "max", this.max);
		}

	}

	/**
	 * A metric of one treatment at one level, over the passes.
	 * @param all every measurement
	 * @param kind {@code closed} or {@code open}
	 * @param level the concurrency or rate percentage
	 * @param treatment the treatment
	 * @param metric what to read from each measurement
	 * @return the statistics
	 */
	static Stats metric(List<Measurement> all, String kind, int level, String treatment,
			ToDoubleFunction<Measurement> metric) {
		List<Double> values = new ArrayList<>();
		for (Measurement m : all) {
			if (m.kind().equals(kind) && m.level() == level && m.treatment().equals(treatment)) {
				values.add(metric.applyAsDouble(m));
			}
		}
		return Stats.of(values);
	}

	/**
	 * A ratio of two treatments' metric, computed within each pass that measured both.
	 * @param all every measurement
	 * @param kind {@code closed} or {@code open}
	 * @param level the concurrency or rate percentage
	 * @param numerator the treatment on top
	 * @param denominator the treatment below
	 * @param metric what to read from each measurement
	 * @return the statistics of the per-pass ratios
	 */
	static Stats ratio(List<Measurement> all, String kind, int level, String numerator, String denominator,
			ToDoubleFunction<Measurement> metric) {
		return perPass(all, kind, level, numerator, denominator, metric, true);
	}

	/**
	 * A difference of two treatments' metric (numerator minus denominator), computed within each pass.
	 * @param all every measurement
	 * @param kind {@code closed} or {@code open}
	 * @param level the concurrency or rate percentage
	 * @param minuend the treatment whose value is reduced
	 * @param subtrahend the treatment whose value is subtracted
	 * @param metric what to read from each measurement
	 * @return the statistics of the per-pass differences
	 */
	static Stats difference(List<Measurement> all, String kind, int level, String minuend, String subtrahend,
			ToDoubleFunction<Measurement> metric) {
		return perPass(all, kind, level, minuend, subtrahend, metric, false);
	}

	private static Stats perPass(List<Measurement> all, String kind, int level, String first, String second,
			ToDoubleFunction<Measurement> metric, boolean divide) {
		List<Double> values = new ArrayList<>();
		for (Measurement a : all) {
			if (!a.kind().equals(kind) || a.level() != level || !a.treatment().equals(first)) {
				continue;
			}
			find(all, kind, level, second, a.pass()).ifPresent((b) -> {
				double x = metric.applyAsDouble(a);
				double y = metric.applyAsDouble(b);
				if (!divide) {
					values.add(x - y);
				}
				else if (y > 0) {
					values.add(x / y);
				}
			});
		}
		return Stats.of(values);
	}

	private static Optional<Measurement> find(List<Measurement> all, String kind, int level, String treatment,
			int pass) {
		return all.stream()
			.filter((m) -> m.kind().equals(kind) && m.level() == level && m.treatment().equals(treatment)
					&& m.pass() == pass)
			.findFirst();
	}

	static double rps(Measurement m) {
		return m.result().rps();
	}

	static double p50(Measurement m) {
		return m.result().latency().p50();
	}

	static double p99(Measurement m) {
		return m.result().latency().p99();
	}

	static double servedP50(Measurement m) {
		return m.result().service().p50();
	}

	static double servedP99(Measurement m) {
		return m.result().service().p99();
	}

	static double cpu(Measurement m, String process) {
		return m.cpuMicrosPerCall().getOrDefault(process, Double.NaN);
	}

}
