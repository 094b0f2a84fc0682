package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One run of the harness: starts the {@link Stack}, checks the protocol through every treatment, qualifies the
 * fake upstream, warms the gateway up, runs the passes (closed loop at each concurrency, then open loop at each
 * rate, treatments in a rotated order), then the held sessions and the refresh storm. Every figure goes into
 * {@link #results()}.
 */
final class LoadBench {

	/** Fewer methods than this compiled in a warm-up chunk counts as the JIT having settled. */
	private static final int SETTLED_COMPILES = 50;

	private final BenchOptions options;

	private final Profile profile;

	private final Stack stack;

	private final PrintStream log;

	private final List<String> treatments = new ArrayList<>();

	private final List<Measurement> measurements = new ArrayList<>();

	private final Map<String, Object> results = new LinkedHashMap<>();

	private final Map<Integer, Double> openRates = new TreeMap<>();

	LoadBench(BenchOptions options, Stack stack, PrintStream log) {
		this.options = options;
		this.profile = options.profile();
		this.stack = stack;
		this.log = log;
	}

	/**
	 * Runs every phase.
	 * @param jfr where the gateway's recording goes, or {@code null}
	 * @throws IOException if a process cannot start or a protocol check fails
	 */
	void run(Path jfr) throws IOException {
		start(jfr);
		new ProtocolCheck(this.stack, this.treatments, this.log).run(this.results);
		qualify();
		warmUp();
		calibrate();
		for (int pass = 1; pass <= this.profile.passes(); pass++) {
			runPass(pass);
		}
		this.results.put("measurements", this.measurements.stream().map(Measurement::toMap).toList());
		this.results.put("openLoopRates", this.openRates);
		new HeldSessions(this.stack, this.profile, this.log).run(this.results);
		new RefreshStorm(this.stack, this.profile, this.log, openRate(50)).run(this.results);
	}

	/**
	 * Loads the gateway at the reference concurrency in chunks until it is warm: at least the profile's warm-up,
	 * then until a chunk's throughput is within 5 % of the one before and the JIT compiled fewer than
	 * {@value #SETTLED_COMPILES} methods during it, and at most four times the profile's warm-up. On two cores C2
	 * keeps compiling for minutes under load; measuring before it settles understated the gateway by up to 2.6×.
	 */
	private void warmUp() throws IOException {
		int c = this.profile.referenceConcurrency();
		long least = this.profile.gatewayWarmup();
		long most = 4 * least;
		long chunk = Math.min(5000, least);
		progress("warming the gateway up (c=%d, at least %d s, until throughput and JIT settle, at most %d s)", c,
				least / 1000, most / 1000);
		List<Map<String, Object>> chunks = new ArrayList<>();
		long elapsed = 0;
		double previous = 0;
		long compiles = this.stack.gatewayCompiles();
		boolean settled = false;
		while (elapsed < most) {
			LoadResult result = LoadRunner.closedLoop(factory(Summary.GATEWAY), c, 0, millis(chunk));
			elapsed += chunk;
			long now = this.stack.gatewayCompiles();
			long compiled = (now >= 0 && compiles >= 0) ? now - compiles : -1;
			compiles = now;
			double rps = result.rps();
			chunks.add(Map.of("seconds", elapsed / 1000.0, "callsPerSecond", rps, "jitCompiles", compiled));
			boolean steady = previous > 0 && Math.abs(rps - previous) <= 0.05 * previous
					&& compiled >= 0 && compiled < SETTLED_COMPILES;
			previous = rps;
			if (elapsed >= least && steady) {
				settled = true;
				break;
			}
		}
		progress("  warm after %.0f s%s: %.0f calls/s, %s", elapsed / 1000.0, settled ? "" : " (not settled, limit)",
				previous, chunks.get(chunks.size() - 1).get("jitCompiles") + " methods compiled in the last chunk");
		Map<String, Object> warmup = new LinkedHashMap<>();
		warmup.put("concurrency", c);
		warmup.put("seconds", elapsed / 1000.0);
		warmup.put("settled", settled);
		warmup.put("chunks", chunks);
		this.results.put("gatewayWarmup", warmup);
	}

	List<Measurement> measurements() {
		return this.measurements;
	}

	Map<String, Object> results() {
		return this.results;
	}

	List<String> treatments() {
		return this.treatments;
	}

	private void start(Path jfr) throws IOException {
		progress("starting the fake upstream");
		this.stack.startUpstream();
		this.treatments.add(Summary.DIRECT);
		if (this.options.nginx()) {
			if (Path.of(this.options.nginxPath()).toFile().canExecute()) {
				progress("starting nginx");
				this.stack.startNginx();
				this.treatments.add(Summary.NGINX);
			}
			else {
				this.log.println("bench: NOTE nginx not found at " + this.options.nginxPath()
						+ ": the nginx treatment (the floor) is skipped (apt-get install -y nginx-light)");
				this.results.put("nginxSkipped", "not found at " + this.options.nginxPath());
			}
		}
		else {
			this.results.put("nginxSkipped", "--no-nginx");
		}
		progress("starting the identity provider (%d storm clients) and getting %s's token",
				this.profile.stormTargets(), StackFiles.BENCH_USER);
		this.stack.startIdentityProvider(this.profile.stormTargets(), this.profile.stormTokenSeconds());
		progress("starting the gateway");
		this.stack.startGateway(Math.max(10_000, this.profile.sessions() * 2 + 2_000), this.profile.stormTargets(),
				jfr);
		this.treatments.add(Summary.GATEWAY);
	}

	/** The upstream direct against nginx serving a file of the same size: the upstream must not be the limit. */
	private void qualify() throws IOException {
		int c = Math.min(64, this.profile.referenceConcurrency());
		long measure = millis(this.profile.qualifyMeasure());
		progress("qualifying the upstream (c=%d)", c);
		LoadResult upstream = LoadRunner.closedLoop(factory(Summary.DIRECT), c, millis(2000), measure);
		Map<String, Object> qualification = new LinkedHashMap<>();
		qualification.put("concurrency", c);
		qualification.put("upstreamRps", upstream.rps());
		qualification.put("upstreamP50Us", upstream.latency().p50());
		if (this.treatments.contains(Summary.NGINX)) {
			LoadResult file = LoadRunner.closedLoop((i) -> new StaticFileCaller(this.stack.nginxPort, "/static.json"),
					c, millis(1000), measure);
			qualification.put("nginxStaticFileRps", file.rps());
			qualification.put("upstreamVsNginxStaticFile", upstream.rps() / file.rps());
		}
		this.results.put("upstreamQualification", qualification);
	}

	/**
	 * The open-loop rates: fractions of the gateway's saturation measured once, after the warm-up, at the
	 * reference concurrency, so that every pass runs the same rates.
	 */
	private void calibrate() throws IOException {
		int c = this.profile.referenceConcurrency();
		LoadResult saturation = LoadRunner.closedLoop(factory(Summary.GATEWAY), c, millis(this.profile.closedWarmup()),
				millis(this.profile.closedMeasure()));
		progress("gateway saturation at c=%d for the open-loop rates: %.0f calls/s", c, saturation.rps());
		this.results.put("openLoopCalibration", Map.of("concurrency", c, "gatewayRps", saturation.rps()));
		for (double fraction : this.profile.openFractions()) {
			this.openRates.put((int) Math.round(fraction * 100), Math.max(1, fraction * saturation.rps()));
		}
	}

	private void runPass(int pass) throws IOException {
		List<String> order = rotated(this.treatments, pass - 1);
		progress("pass %d of %d: closed loop, order %s", pass, this.profile.passes(), order);
		for (int c : this.profile.concurrencies()) {
			for (String treatment : order) {
				measureClosed(treatment, pass, c);
			}
		}
		progress("pass %d of %d: open loop at %s calls/s", pass, this.profile.passes(), this.openRates.values()
			.stream()
			.map((rate) -> Json.number(Math.round(rate)))
			.toList());
		for (Map.Entry<Integer, Double> rate : this.openRates.entrySet()) {
			for (String treatment : order) {
				measureOpen(treatment, pass, rate.getKey(), rate.getValue());
			}
		}
	}

	private void measureClosed(String treatment, int pass, int concurrency) throws IOException {
		measure(treatment, pass, "closed", concurrency, 0, () -> LoadRunner.closedLoop(factory(treatment), concurrency,
				millis(this.profile.closedWarmup()), millis(this.profile.closedMeasure())));
	}

	private void measureOpen(String treatment, int pass, int percent, double rate) throws IOException {
		int connections = this.profile.openConnections();
		measure(treatment, pass, "open", percent, rate, () -> LoadRunner.openLoop(factory(treatment), connections, rate,
				millis(this.profile.openWarmup()), millis(this.profile.openMeasure())));
	}

	/** A load run that can fail with an I/O error. */
	@FunctionalInterface
	private interface Load {

		LoadResult run() throws IOException;

	}

	private void measure(String treatment, int pass, String kind, int level, double rate, Load load)
			throws IOException {
		boolean threads = treatment.equals(Summary.GATEWAY);
		Map<String, Long> pids = pidsOf(treatment);
		Map<String, Long> before = cpu(pids);
		Map<String, Long> groupsBefore = threads ? ProcStats.threadGroupMicros(this.stack.gateway.pid()) : Map.of();
		Map<String, Long> upstreamBefore = UpstreamStats.fetch(this.stack.upstreamPort);
		LoadResult result = load.run();
		Map<String, Long> after = cpu(pids);
		Map<String, Long> upstreamAfter = UpstreamStats.fetch(this.stack.upstreamPort);
		Map<String, Double> perCall = new LinkedHashMap<>();
		// CPU was sampled around the warm-up too: divide by every call made
		long calls = Math.max(1, result.allCalls());
		after.forEach((role, micros) -> perCall.put(role, (micros - before.get(role)) / (double) calls));
		Map<String, Double> groups = new LinkedHashMap<>();
		if (threads) {
			ProcStats.delta(groupsBefore, ProcStats.threadGroupMicros(this.stack.gateway.pid()))
				.forEach((group, micros) -> {
					double value = micros / (double) calls;
					if (value >= 0.5) {
						groups.put(group, value);
					}
				});
		}
		Measurement measurement = new Measurement(treatment, pass, kind, level, rate, result, perCall, groups,
				UpstreamStats.perCall(upstreamBefore, upstreamAfter, calls));
		this.measurements.add(measurement);
		this.log.printf("bench:   %-7s %-6s %4d%s %9.0f calls/s  p50 %7.0f µs  p99 %7.0f µs  errors %d%n", treatment,
				kind, level, kind.equals("closed") ? "c" : "%", result.rps(), result.latency().p50(),
				result.latency().p99(), result.errors());
		if (result.firstError() != null) {
			this.log.println("bench:     first error: " + result.firstError());
		}
	}

	private Map<String, Long> pidsOf(String treatment) {
		Map<String, Long> all = this.stack.pids();
		Map<String, Long> pids = new LinkedHashMap<>();
		pids.put("client", all.get("client"));
		if (!treatment.equals(Summary.DIRECT)) {
			pids.put(treatment, all.get(treatment));
		}
		pids.put("upstream", all.get("upstream"));
		return pids;
	}

	private static Map<String, Long> cpu(Map<String, Long> pids) {
		Map<String, Long> cpu = new LinkedHashMap<>();
		pids.forEach((role, pid) -> cpu.put(role, ProcStats.cpuMicros(pid)));
		return cpu;
	}

	LoadRunner.ClientFactory factory(String treatment) {
		return switch (treatment) {
			case Summary.DIRECT -> mcp(new McpRequests(this.stack.upstreamPort, null), "json");
			case Summary.NGINX -> mcp(new McpRequests(this.stack.nginxPort, null), "json");
			default -> mcp(new McpRequests(this.stack.gatewayPort, this.stack.token),
					StackFiles.BENCH_TARGET + "___json");
		};
	}

	private static LoadRunner.ClientFactory mcp(McpRequests requests, String tool) {
		return (index) -> McpClient.open(requests, tool, index + 1, false);
	}

	double openRate(int percent) {
		Double rate = this.openRates.get(percent);
		return (rate != null) ? rate : this.openRates.values().stream().findFirst().orElse(100.0);
	}

	static List<String> rotated(List<String> list, int by) {
		List<String> rotated = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			rotated.add(list.get((i + by) % list.size()));
		}
		return rotated;
	}

	static long millis(long millis) {
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

	private void progress(String format, Object... args) {
		this.log.println("bench: " + String.format(format, args));
	}

}
