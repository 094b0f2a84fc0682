package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in its own JVM process (the test's classpath and Java), for tests where several instances share
 * one database.
 */
public final class GatewayProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private GatewayProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	public static GatewayProcess start(Path dataDir, Path masterKey, Map<String, String> properties) {
		return start(dataDir, masterKey, properties, NodeTools.freePort());
	}

	/** Starts on a given port (when its URLs must be known before, e.g. to register redirect URIs). */
	public static GatewayProcess start(Path dataDir, Path masterKey, Map<String, String> properties, int port) {
		try {
			Files.createDirectories(dataDir);
			Path log = dataDir.resolve("gateway-" + port + ".log");
			String java = ProcessHandle.current().info().command().orElse("java");
			List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp",
					System.getProperty("java.class.path"), "dev.gatehouse.server.GatehouseApplication",
					"--server.port=" + port, "--server.address=127.0.0.1", "--gatehouse.data-dir=" + dataDir,
					"--gatehouse.vault.master-key-file=" + masterKey, "--gatehouse.access.local-user.enabled=true",
					"--gatehouse.upstream.allow-insecure-loopback=true", "--gatehouse.cluster.poll-interval=100ms",
					"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
			properties.forEach((k, v) -> command.add("--" + k + "=" + v));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			GatewayProcess gateway = new GatewayProcess(process, port, log);
			gateway.awaitHealthy();
			return gateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitHealthy() throws IOException {
		HttpClient http = HttpClient.newHttpClient();
		Instant end = Instant.now().plus(Duration.ofSeconds(90));
		while (Instant.now().isBefore(end)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("the gateway exited:\n" + Files.readString(log));
			}
			try {
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			sleep(250);
		}
		throw new IllegalStateException("the gateway did not become healthy:\n" + Files.readString(log));
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port;
	}

	public String mcpUrl() {
		return baseUrl() + "/mcp";
	}

	public AdminClient admin() {
		return new AdminClient(baseUrl());
	}

	public String log() {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Kills the process with SIGKILL, as a crash or the out-of-memory killer would: nothing runs after it. */
	public void kill() {
		process.destroyForcibly();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the gateway did not die");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public int port() {
		return port;
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
