package dev.gatehouse.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes under test, started in order: the fake upstream, nginx (optional), the bench identity provider,
 * the user's access token (the demo jar's {@code token} command), and the gateway. {@link #close()} stops them
 * all.
 */
final class Stack implements AutoCloseable {

	private static final String VERSION = "0.1.0-SNAPSHOT";

	private final BenchOptions options;

	private final Path work;

	private final Processes processes;

	private final String java;

	final int upstreamPort;

	final int nginxPort;

	final int idpPort;

	final int gatewayPort;

	Process upstream;

	Process nginx;

	Process gateway;

	String token;

	/** The bearer token of {@code /actuator/prometheus} ({@code gatehouse.management.token}). */
	String managementToken;

	List<String> gatewayCommand = List.of();

	String nginxVersion = "";

	Stack(BenchOptions options, Path work) throws IOException {
		this.options = options;
		this.work = work;
		this.processes = new Processes(work);
		this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.upstreamPort = Processes.freePort();
		this.nginxPort = Processes.freePort();
		this.idpPort = Processes.freePort();
		this.gatewayPort = Processes.freePort();
	}

	Path benchJar() {
		return this.options.root().resolve("gatehouse-bench/target/gatehouse-bench.jar");
	}

	Path benchThinJar() {
		return this.options.root().resolve("gatehouse-bench/target/gatehouse-bench-" + VERSION + ".jar");
	}

	Path demoJar() {
		return this.options.root().resolve("gatehouse-demo/target/gatehouse-demo-" + VERSION + "-all.jar");
	}

	Path serverJar() {
		return this.options.root().resolve("gatehouse-server/target/gatehouse.jar");
	}

	void startUpstream() throws IOException {
		List<String> command = new ArrayList<>(List.of(this.java, "-Xms128m", "-Xmx256m", "-XX:+UseSerialGC", "-cp",
				benchJar().toString(), FakeUpstream.class.getName(), Integer.toString(this.upstreamPort)));
		if (this.options.platformThreadUpstream()) {
			command.add("--platform-threads");
		}
		this.upstream = this.processes.start("upstream", command);
		this.processes.awaitLog("upstream", this.upstream, "ready", 30);
	}

	void startNginx() throws IOException {
		Files.createDirectories(this.work.resolve("nginx-tmp"));
		Files.writeString(this.work.resolve("static.json"),
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
						+ UpstreamResponses.text(1024) + "\"}],\"isError\":false}}");
		Path config = this.work.resolve("nginx.conf");
		Files.writeString(config, StackFiles.nginx(this.work.toString(), this.nginxPort, this.upstreamPort));
		this.nginxVersion = this.processes.output("nginx-version", List.of(this.options.nginxPath(), "-v"), 10);
		this.nginx = this.processes.start("nginx", List.of(this.options.nginxPath(), "-p", this.work.toString(), "-c",
				config.toString(), "-e", this.work.resolve("nginx-error.log").toString()));
		this.processes.awaitPort("nginx", this.nginx, this.nginxPort, 20);
	}

	void startIdentityProvider(int stormTargets, int stormTokenSeconds) throws IOException {
		Path secret = this.work.resolve("client.secret");
		writeSecret(secret, randomKey());
		Process idp = this.processes.start("idp", List.of(this.java, "-Xmx256m", "-cp", demoJar().toString(),
				"-Dloader.path=" + benchThinJar(), "-Dloader.main=" + BenchIdentityProvider.class.getName(),
				"org.springframework.boot.loader.launch.PropertiesLauncher", Integer.toString(this.idpPort),
				secret.toString(), Integer.toString(stormTargets), Integer.toString(stormTokenSeconds)));
		this.processes.awaitLog("idp", idp, "ready http://localhost:" + this.idpPort, 90);
		// its first request initialises Spring MVC: slow on busy cores, longer than the token command waits
		warmUp(this.idpPort, "/.well-known/oauth-authorization-server");
		List<String> token = List.of(this.java, "-jar", demoJar().toString(), "token", StackFiles.BENCH_USER,
				"--issuer", "http://localhost:" + this.idpPort, "--resource",
				"http://localhost:" + this.gatewayPort + "/mcp");
		for (int attempt = 1;; attempt++) {
			try {
				this.token = this.processes.output("token", token, 60);
				return;
			}
			catch (IOException ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	private static void warmUp(int port, String path) {
		try (HttpConnection connection = HttpConnection.open(port)) {
			connection.timeout(60_000);
			connection.exchange(HttpConnection.ascii("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port
					+ "\r\nConnection: close\r\n\r\n"));
		}
		catch (IOException ex) {
			// the token command reports the problem
		}
	}

	void startGateway(int maxConnections, int stormTargets, Path jfr) throws IOException {
		String dir = this.work.toString();
		writeSecret(this.work.resolve("master.key"), randomKey());
		this.managementToken = randomKey();
		writeSecret(this.work.resolve("management.token"), this.managementToken);
		Files.writeString(this.work.resolve("targets.json"),
				StackFiles.targets(dir, this.upstreamPort, this.idpPort, stormTargets));
		Files.writeString(this.work.resolve("policy.yaml"), StackFiles.policy());
		Path config = this.work.resolve("gatehouse.yml");
		Files.writeString(config, StackFiles.gatewayYaml(dir, this.gatewayPort, this.idpPort, maxConnections));
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(this.options.gatewayJvmFlags());
		if (jfr != null) {
			command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
		}
		command.addAll(List.of("-jar", serverJar().toString(), "--spring.config.additional-location=file:" + config));
		this.gatewayCommand = List.copyOf(command);
		this.gateway = this.processes.start("gateway", command);
		this.processes.awaitPort("gateway", this.gateway, this.gatewayPort, 120);
	}

	/** Runs a full GC in the gateway ({@code jcmd PID GC.run}); a failure is only logged in {@code jcmd.log}. */
	void gc() {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			this.processes.output("jcmd", List.of(jcmd.toString(), Long.toString(this.gateway.pid()), "GC.run"), 30);
		}
		catch (IOException ex) {
			// the heap figures are then after no particular GC
		}
	}

	/**
	 * Methods the gateway's JIT has compiled so far ({@code sun.ci.totalCompiles} from {@code jcmd PID
	 * PerfCounter.print}), or -1 when it cannot be read.
	 */
	long gatewayCompiles() {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		try {
			String out = this.processes.output("jcmd-perf", List.of(jcmd.toString(), Long.toString(this.gateway.pid()),
					"PerfCounter.print"), 30);
			for (String line : out.split("\\R")) {
				if (line.startsWith("sun.ci.totalCompiles=")) {
					return Long.parseLong(line.substring("sun.ci.totalCompiles=".length()).trim());
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not readable: the warm-up then goes by throughput alone
		}
		return -1;
	}

	/** The pids to sample, by process role. */
	Map<String, Long> pids() {
		Map<String, Long> pids = new LinkedHashMap<>();
		pids.put("client", ProcessHandle.current().pid());
		pids.put("upstream", this.upstream.pid());
		if (this.nginx != null) {
			pids.put("nginx", this.nginx.pid());
		}
		pids.put("gateway", this.gateway.pid());
		return pids;
	}

	Path work() {
		return this.work;
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static void writeSecret(Path file, String value) throws IOException {
		Files.writeString(file, value, StandardCharsets.US_ASCII);
		file.toFile().setReadable(false, false);
		file.toFile().setReadable(true, true);
	}

	@Override
	public void close() {
		this.processes.close();
	}

}
