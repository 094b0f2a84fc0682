package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Which TCP ports have a listener, from the kernel's socket table ({@code ss}), whatever address they bound. */
final class Ports {

	/** The demo's fixed ports besides the gateway's: identity provider, demo-tools, risk-assessment-mcp. */
	static final List<Integer> DEMO_SERVER_PORTS = List.of(9000, 8091, 8092);

	private Ports() {
	}

	/**
	 * The local addresses listening on a port, as {@code ss} prints them ({@code 127.0.0.1:8080},
	 * {@code [::ffff:127.0.0.1]:9000}, {@code *:8080}).
	 * @param port the port
	 * @return the addresses, empty when nothing listens
	 */
	static List<String> listeners(int port) {
		try {
			Process ss = new ProcessBuilder("ss", "-H", "-t", "-l", "-n", "sport = :" + port).redirectErrorStream(true)
				.start();
			String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
				throw new IllegalStateException("ss failed: " + output);
			}
			return Arrays.stream(output.split("\n"))
				.map(String::strip)
				.filter((line) -> !line.isEmpty())
				.map((line) -> line.split("\\s+")[3])
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A port nothing listens on right now. */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
