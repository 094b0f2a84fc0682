package dev.gatehouse.demo;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The parsed command line of {@link DemoMain}: either the two demo servers, or only the
 * conformance fixture.
 *
 * @param plainPort port of demo-tools, or {@code null} in conformance mode
 * @param riskPort port of risk-assessment-mcp, or {@code null} in conformance mode
 * @param riskApiKeyFile file holding the risk server's API key, or {@code null} in
 * conformance mode
 * @param conformancePort port of the conformance fixture, or {@code null} in demo mode
 * @param help whether {@code --help} was given (all other fields are then {@code null})
 */
record DemoOptions(@Nullable Integer plainPort, @Nullable Integer riskPort, @Nullable Path riskApiKeyFile,
		@Nullable Integer conformancePort, boolean help) {

	static final String USAGE = """
			Usage:
			  java -jar gatehouse-demo-all.jar --plain-port PORT --risk-port PORT --risk-api-key-file PATH
			  java -jar gatehouse-demo-all.jar --conformance-port PORT
			  java -jar gatehouse-demo-all.jar --help

			Starts MCP servers on 127.0.0.1 and prints one line per server: "<name> <url>".
			  --plain-port PORT           demo-tools (echo, add, current_time, word_count, slow_countdown)
			  --risk-port PORT            risk-assessment-mcp (requires header X-API-Key)
			  --risk-api-key-file PATH    file whose content (trimmed) is the risk server's API key
			  --conformance-port PORT     only the MCP conformance-suite fixture
			PORT is 0..65535; 0 picks a free port. Runs until killed.""";

	private static final String PLAIN_PORT = "--plain-port";

	private static final String RISK_PORT = "--risk-port";

	private static final String RISK_API_KEY_FILE = "--risk-api-key-file";

	private static final String CONFORMANCE_PORT = "--conformance-port";

	private static final Set<String> OPTIONS = Set.of(PLAIN_PORT, RISK_PORT, RISK_API_KEY_FILE, CONFORMANCE_PORT);

	/**
	 * Parses {@code --name value} and {@code --name=value} options.
	 * @param args the command line
	 * @return the options
	 * @throws UsageException with a message naming the problem
	 */
	static DemoOptions parse(String... args) {
		if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
			return new DemoOptions(null, null, null, null, true);
		}
		Map<String, String> values = collect(args);
		if (values.containsKey(CONFORMANCE_PORT)) {
			if (values.size() > 1) {
				throw new UsageException(CONFORMANCE_PORT + " cannot be combined with other options");
			}
			return new DemoOptions(null, null, null, port(values, CONFORMANCE_PORT), false);
		}
		for (String required : new String[] { PLAIN_PORT, RISK_PORT, RISK_API_KEY_FILE }) {
			if (!values.containsKey(required)) {
				throw new UsageException("Missing " + required);
			}
		}
		int plainPort = port(values, PLAIN_PORT);
		int riskPort = port(values, RISK_PORT);
		if (plainPort != 0 && plainPort == riskPort) {
			throw new UsageException(PLAIN_PORT + " and " + RISK_PORT + " must differ");
		}
		return new DemoOptions(plainPort, riskPort, Path.of(Objects.requireNonNull(values.get(RISK_API_KEY_FILE))),
				null, false);
	}

	private static Map<String, String> collect(String[] args) {
		if (args.length == 0) {
			throw new UsageException("No options given");
		}
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			String name = args[i];
			String value;
			int equals = name.indexOf('=');
			if (equals > 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
				value = args[++i];
			}
			else {
				value = null;
			}
			if (!OPTIONS.contains(name)) {
				throw new UsageException("Unknown option '" + name + "'");
			}
			if (value == null || value.isBlank()) {
				throw new UsageException("Missing value for " + name);
			}
			if (values.put(name, value) != null) {
				throw new UsageException(name + " given more than once");
			}
		}
		return values;
	}

	private static int port(Map<String, String> values, String name) {
		String value = values.get(name);
		try {
			int port = Integer.parseInt(value);
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw new UsageException(name + " must be a port number 0..65535 but was '" + value + "'");
	}

	/**
	 * A command line {@link DemoMain} cannot run; the message says why.
	 */
	static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

}
