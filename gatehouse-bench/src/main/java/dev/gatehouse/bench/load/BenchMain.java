package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Entry point of the load harness ({@code ./gatehouse bench}): runs {@link LoadBench}, writes one JSON file per
 * run under {@code bench-results/} and prints the summary. Every process it started is stopped on the way out,
 * also on failure.
 *
 * <pre>
 * java -cp gatehouse-bench.jar dev.gatehouse.bench.load.BenchMain --root REPO [options]
 * </pre>
 *
 * Options: see {@link BenchOptions#USAGE}. Exit status 0 on success, 1 if the run failed, 2 for a bad command
 * line.
 */
public final class BenchMain {

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
		.withZone(ZoneOffset.UTC);

	private BenchMain() {
	}

	/**
	 * Runs the harness.
	 * @param args see {@link BenchOptions}
	 */
	public static void main(String[] args) {
		PrintStream out = System.out;
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			out.println("bench: " + ex.getMessage());
			out.println(BenchOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options.help()) {
			out.println(BenchOptions.USAGE);
			return;
		}
		System.exit(run(options, Clock.systemUTC(), out));
	}

	static int run(BenchOptions options, Clock clock, PrintStream out) {
		Instant started = clock.instant();
		long startNanos = System.nanoTime();
		Map<String, Object> meta = RunInfo.collect(options, started);
		Path work;
		try {
			work = Files.createTempDirectory("gatehouse-bench-");
			Files.createDirectories(options.out());
		}
		catch (IOException ex) {
			out.println("bench: cannot create the work or results directory: " + ex);
			return 1;
		}
		String stamp = FILE_TIME.format(started) + "-" + options.profile().name();
		Path jfr = options.jfr() ? options.out().resolve(stamp + "-gateway.jfr") : null;
		Path resultFile = options.out().resolve(stamp + ".json");
		out.printf("bench: profile %s, %d pass(es); work directory %s%n", options.profile().name(),
				options.profile().passes(), work);
		int status = 0;
		LoadBench bench = null;
		Stack stack = null;
		try {
			stack = new Stack(options, work);
			bench = new LoadBench(options, stack, out);
			bench.run(jfr);
		}
		catch (IOException | RuntimeException ex) {
			status = 1;
			meta.put("error", ex.toString());
			out.println("bench: FAILED: " + ex.getMessage());
			out.println("bench: the processes' logs are in " + work + (options.keep() ? "" : " (kept because of the failure)"));
		}
		finally {
			if (stack != null) {
				meta.put("gatewayCommand", stack.gatewayCommand);
				meta.put("nginxVersion", stack.nginxVersion);
				stack.close();
			}
		}
		meta.put("wallSeconds", (System.nanoTime() - startNanos) / 1e9);
		meta.put("loadAverageAtEnd", RunInfo.loadAverage());
		write(options, bench, meta, resultFile, jfr, out);
		if (status == 0 && !options.keep()) {
			delete(work);
		}
		else if (status == 0) {
			out.println("bench: kept the work directory " + work);
		}
		return status;
	}

	private static void write(BenchOptions options, LoadBench bench, Map<String, Object> meta, Path resultFile, Path jfr,
			PrintStream out) {
		Map<String, Object> result = new LinkedHashMap<>(meta);
		Report report = null;
		if (bench != null) {
			report = new Report(bench.measurements(), bench.treatments(), options.profile());
			result.put("treatments", bench.treatments());
			result.put("summary", report.toMap());
			result.putAll(bench.results());
		}
		if (jfr != null) {
			result.put("gatewayJfr", jfr.toString());
		}
		try {
			Files.writeString(resultFile, Json.write(result), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			out.println("bench: cannot write " + resultFile + ": " + ex);
		}
		out.println();
		out.printf("Gatehouse load harness: profile %s, %s, commit %s, JDK %s, %s%n", options.profile().name(),
				meta.get("startedAt"), meta.get("gitCommit"), meta.get("javaVersion"), meta.get("machineSummary"));
		if (report != null && !bench.measurements().isEmpty()) {
			out.print(RunInfo.qualificationLine(bench.results()));
			out.print(report.text(bench.results()));
		}
		out.printf("Wall time %.0f s. Result: %s%n", (double) meta.get("wallSeconds"), resultFile);
	}

	private static void delete(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temp directory is harmless
		}
	}


}
