package dev.gatehouse.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the result file says about the run's circumstances: git commit, JDK, JVM flags, machine (CPU model,
 * cores, memory, kernel, load average), profile and options.
 */
final class RunInfo {

	private RunInfo() {
	}

	static Map<String, Object> collect(BenchOptions options, Instant started) {
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("startedAt", started.toString());
		meta.put("profile", options.profile().name());
		meta.put("profileSettings", profile(options.profile()));
		meta.put("gitCommit", git(options.root(), "rev-parse", "HEAD"));
		meta.put("gitDirty", !git(options.root(), "status", "--porcelain").isEmpty());
		meta.put("javaVersion", System.getProperty("java.version"));
		meta.put("javaVendor", System.getProperty("java.vendor"));
		meta.put("javaHome", System.getProperty("java.home"));
		meta.put("gatewayJvmFlags", options.gatewayJvmFlags());
		meta.put("clientJvmFlags", ManagementFactory.getRuntimeMXBean().getInputArguments());
		meta.put("jfr", options.jfr());
		meta.put("upstreamThreads", options.platformThreadUpstream() ? "platform" : "virtual");
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("cpuModel", cpuModel());
		machine.put("cores", Runtime.getRuntime().availableProcessors());
		machine.put("memTotalKib", meminfo("MemTotal"));
		machine.put("kernel", read("/proc/sys/kernel/osrelease"));
		machine.put("loadAverageAtStart", loadAverage());
		meta.put("machine", machine);
		meta.put("machineSummary", String.format(Locale.ROOT, "%d × %s, %.0f GiB, load average at start %s",
				Runtime.getRuntime().availableProcessors(), cpuModel(), meminfo("MemTotal") / 1048576.0,
				loadAverage()));
		return meta;
	}

	static String qualificationLine(Map<String, Object> results) {
		@SuppressWarnings("unchecked")
		Map<String, Object> q = (Map<String, Object>) results.get("upstreamQualification");
		if (q == null) {
			return "";
		}
		String line = String.format(Locale.ROOT, "Upstream qualification (c=%s): fake upstream %.0f calls/s",
				q.get("concurrency"), ((Number) q.get("upstreamRps")).doubleValue());
		if (q.containsKey("nginxStaticFileRps")) {
			line += String.format(Locale.ROOT, " vs nginx serving the same answer as a file %.0f/s (×%.2f)",
					((Number) q.get("nginxStaticFileRps")).doubleValue(),
					((Number) q.get("upstreamVsNginxStaticFile")).doubleValue());
		}
		Object skipped = results.get("nginxSkipped");
		if (skipped != null) {
			line += "; nginx treatment skipped (" + skipped + ")";
		}
		return line + "\n";
	}

	private static Map<String, Object> profile(Profile profile) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("passes", profile.passes());
		map.put("concurrencies", profile.concurrencies());
		map.put("closedWarmupMs", profile.closedWarmup());
		map.put("closedMeasureMs", profile.closedMeasure());
		map.put("openFractions", profile.openFractions());
		map.put("openConnections", profile.openConnections());
		map.put("openWarmupMs", profile.openWarmup());
		map.put("openMeasureMs", profile.openMeasure());
		map.put("gatewayWarmupMs", profile.gatewayWarmup());
		map.put("sessions", profile.sessions());
		map.put("stormTargets", profile.stormTargets());
		map.put("stormTokenSeconds", profile.stormTokenSeconds());
		return map;
	}

	static String loadAverage() {
		String load = read("/proc/loadavg");
		String[] parts = load.split(" ");
		return (parts.length >= 3) ? parts[0] + " " + parts[1] + " " + parts[2] : load;
	}

	private static String cpuModel() {
		for (String line : read("/proc/cpuinfo").split("\n")) {
			if (line.startsWith("model name")) {
				return line.substring(line.indexOf(':') + 1).trim();
			}
		}
		return "unknown";
	}

	private static long meminfo(String key) {
		return ProcStats.statusKib(read("/proc/meminfo"), key);
	}

	private static String read(String file) {
		try {
			return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static String git(Path root, String... args) {
		try {
			List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
			command.addAll(List.of(args));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			process.waitFor(10, TimeUnit.SECONDS);
			return (process.exitValue() == 0) ? output : "unknown";
		}
		catch (IOException | InterruptedException | IllegalThreadStateException ex) {
			return "unknown";
		}
	}

}
