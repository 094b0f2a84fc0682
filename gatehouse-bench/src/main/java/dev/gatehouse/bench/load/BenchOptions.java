package dev.gatehouse.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The harness's command line.
 *
 * <pre>
 * BenchMain --root DIR [--profile default|smoke|sessions-10k] [--passes N] [--no-nginx] [--jfr] [--keep]
 *     [--out DIR] [--nginx PATH] [--gateway-jvm-flags "FLAGS"]
 * </pre>
 *
 * @param root the repository root (the jars are found under it)
 * @param profile what to measure
 * @param nginx whether to measure nginx as the floor
 * @param nginxPath the nginx binary
 * @param jfr whether to record a JFR of the gateway into the results directory
 * @param keep whether to keep the work directory (configurations and logs)
 * @param out where the JSON results go (relative to {@code root} unless absolute)
 * @param gatewayJvmFlags the gateway's JVM flags (the launcher's {@code jvm_flags})
 * @param platformThreadUpstream whether the fake upstream serves connections on platform threads rather than
 * virtual ones (to compare the two)
 * @param help whether {@code --help} was given
 */
record BenchOptions(Path root, Profile profile, boolean nginx, String nginxPath, boolean jfr, boolean keep, Path out,
		List<String> gatewayJvmFlags, boolean platformThreadUpstream, boolean help) {

	static final String USAGE = """
			Usage: ./gatehouse bench [--profile default|smoke|sessions-10k] [--passes N] [--no-nginx] [--jfr] [--keep]
			                         [--out DIR]
			  --profile NAME   default (< 10 min: 3 passes, c = 1/16/64/256, fixed rates at 25/50/75 %% of the
			                   gateway's saturation, 1,000 held sessions, a refresh storm of 100 grants),
			                   smoke (< 2 min: checks that it works, not how fast), sessions-10k (10,000 held
			                   sessions, one pass)
			  --passes N       passes over every treatment (rotated order); overrides the profile's
			  --no-nginx       skip the nginx treatment (the floor)
			  --jfr            record a JFR of the gateway into the results directory
			  --keep           keep the work directory (generated configuration and every process's log)
			  --out DIR        where the JSON result goes (default bench-results/)
			  --upstream-platform-threads  the fake upstream uses a platform thread per connection
			                   (default: virtual threads on JDK 21+)""".formatted();

	/**
	 * Parses the command line.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException with a message naming the problem
	 */
	static BenchOptions parse(String... args) {
		Path root = null;
		String profile = "default";
		Integer passes = null;
		boolean nginx = true;
		String nginxPath = "/usr/sbin/nginx";
		boolean jfr = false;
		boolean keep = false;
		Path out = Path.of("bench-results");
		List<String> flags = new ArrayList<>();
		boolean help = false;
		boolean platform = false;
		List<String> list = Arrays.asList(args);
		for (int i = 0; i < list.size(); i++) {
			String arg = list.get(i);
			switch (arg) {
				case "--root" -> root = Path.of(value(list, ++i, arg));
				case "--profile" -> profile = value(list, ++i, arg);
				case "--passes" -> passes = positive(value(list, ++i, arg), arg);
				case "--no-nginx" -> nginx = false;
				case "--nginx" -> nginxPath = value(list, ++i, arg);
				case "--jfr" -> jfr = true;
				case "--keep" -> keep = true;
				case "--out" -> out = Path.of(value(list, ++i, arg));
				case "--gateway-jvm-flags" -> flags.addAll(splitFlags(value(list, ++i, arg)));
				case "--upstream-platform-threads" -> platform = true;
				case "--help", "-h" -> help = true;
				default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
			}
		}
		if (root == null) {
			root = Path.of("").toAbsolutePath();
		}
		Profile chosen = Profile.named(profile);
		if (passes != null) {
			chosen = chosen.withPasses(passes);
		}
		return new BenchOptions(root, chosen, nginx, nginxPath, jfr, keep, root.resolve(out), List.copyOf(flags),
				platform, help);
	}

	private static String value(List<String> args, int index, String option) {
		if (index >= args.size() || args.get(index).startsWith("--")) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args.get(index);
	}

	private static int positive(String value, String option) {
		try {
			int number = Integer.parseInt(value);
			if (number >= 1) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new IllegalArgumentException(option + " must be a positive number but was '" + value + "'");
	}

	private static List<String> splitFlags(String flags) {
		List<String> split = new ArrayList<>();
		for (String flag : flags.trim().split("\\s+")) {
			if (!flag.isEmpty()) {
				split.add(flag);
			}
		}
		return split;
	}

}
