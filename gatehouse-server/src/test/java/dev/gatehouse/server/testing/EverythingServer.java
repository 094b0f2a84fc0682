package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The MCP reference server {@code @modelcontextprotocol/server-everything} from npm, run as a real process on
 * 127.0.0.1, in Streamable HTTP or in the 2024-11-05 HTTP+SSE mode.
 */
public final class EverythingServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private final boolean sse;

	private final Path log;

	private EverythingServer(Process process, int port, boolean sse, Path log) {
		this.process = process;
		this.port = port;
		this.sse = sse;
		this.log = log;
	}

	public static EverythingServer streamableHttp() {
		return start(false);
	}

	public static EverythingServer legacySse() {
		return start(true);
	}

	private static EverythingServer start(boolean sse) {
		int port = NodeTools.freePort();
		try {
			Path log = Files.createTempFile("server-everything", ".log");
			ProcessBuilder builder = new ProcessBuilder(NodeTools.node().toString(), "--import",
					NodeTools.loopbackPreload().toUri().toString(),
					NodeTools.module("@modelcontextprotocol/server-everything/dist/index.js").toString(),
					sse ? "sse" : "streamableHttp")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().put("PORT", Integer.toString(port));
			Process process = builder.start();
			awaitPort(port, process, log);
			return new EverythingServer(process, port, sse, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void awaitPort(int port, Process process, Path log) throws IOException {
		Instant end = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(end)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("server-everything exited: " + Files.readString(log));
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (IOException ex) {
				sleep(100);
			}
		}
		throw new IllegalStateException("server-everything did not listen on " + port + ": " + Files.readString(log));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	public String url() {
		return "http://127.0.0.1:" + port + (sse ? "/sse" : "/mcp");
	}

	public int port() {
		return port;
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}
}
