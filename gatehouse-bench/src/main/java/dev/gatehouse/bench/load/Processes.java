package dev.gatehouse.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes the harness starts: each with its output in a log file of the work directory, all stopped by
 * {@link #close()} (TERM, then KILL after 10 s), also from a shutdown hook when the harness is interrupted.
 * Thread-safe.
 */
final class Processes implements AutoCloseable {

	private final Path logs;

	private final List<Process> started = new ArrayList<>();

	private final Thread hook = new Thread(this::close, "bench-stop-processes");

	Processes(Path logs) {
		this.logs = logs;
		Runtime.getRuntime().addShutdownHook(this.hook);
	}

	/**
	 * Starts a process; its standard output and error go to {@code NAME.log}.
	 * @param name the log's name
	 * @param command the command line
	 * @return the process
	 * @throws IOException if it cannot start
	 */
	synchronized Process start(String name, List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.logs.resolve(name + ".log").toFile());
		Process process = builder.start();
		this.started.add(process);
		return process;
	}

	/**
	 * Runs a short command to its end and returns its standard output.
	 * @param name the log's name (standard error goes there)
	 * @param command the command line
	 * @param timeoutSeconds how long it may take
	 * @return the output, trimmed
	 * @throws IOException if it fails, exits non-zero or times out
	 */
	String output(String name, List<String> command, long timeoutSeconds) throws IOException {
		Path out = this.logs.resolve(name + ".out");
		Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
			.redirectError(this.logs.resolve(name + ".log").toFile())
			.start();
		try {
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(name + " took more than " + timeoutSeconds + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException(name + " interrupted", ex);
		}
		if (process.exitValue() != 0) {
			throw new IOException(name + " failed (exit " + process.exitValue() + "); see " + this.logs.resolve(name
					+ ".log"));
		}
		return Files.readString(out, StandardCharsets.UTF_8).trim();
	}

	/**
	 * Waits until a process's log contains a line, or fails if the process ends first.
	 * @param name the log's name
	 * @param process the process
	 * @param text what the log must contain
	 * @param timeoutSeconds how long to wait
	 * @throws IOException on timeout or if the process ended
	 */
	void awaitLog(String name, Process process, String text, long timeoutSeconds) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		Path log = this.logs.resolve(name + ".log");
		while (System.nanoTime() < deadline) {
			if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
				return;
			}
			if (!process.isAlive()) {
				throw new IOException(name + " ended (exit " + process.exitValue() + "); see " + log);
			}
			sleep(100);
		}
		throw new IOException(name + " did not say '" + text + "' within " + timeoutSeconds + " s; see " + log);
	}

	/**
	 * Waits until a loopback port accepts connections.
	 * @param name what listens, for the message
	 * @param process the process that should listen
	 * @param port the port
	 * @param timeoutSeconds how long to wait
	 * @throws IOException on timeout or if the process ended
	 */
	void awaitPort(String name, Process process, int port, long timeoutSeconds) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
				return;
			}
			catch (IOException ex) {
				if (!process.isAlive()) {
					throw new IOException(name + " ended (exit " + process.exitValue() + "); see "
							+ this.logs.resolve(name + ".log"), ex);
				}
				sleep(100);
			}
		}
		throw new IOException(name + " did not listen on port " + port + " within " + timeoutSeconds + " s");
	}

	/**
	 * A port that was free a moment ago.
	 * @return the port
	 * @throws IOException if none can be found
	 */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Stops every started process, most recent first. */
	@Override
	public synchronized void close() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			Process process = this.started.get(i);
			process.descendants().forEach(ProcessHandle::destroy);
			process.destroy();
		}
		for (Process process : this.started) {
			try {
				if (!process.waitFor(10, TimeUnit.SECONDS)) {
					process.descendants().forEach(ProcessHandle::destroyForcibly);
					process.destroyForcibly();
					process.waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
			}
		}
		this.started.clear();
		try {
			Runtime.getRuntime().removeShutdownHook(this.hook);
		}
		catch (IllegalStateException ex) {
			// already shutting down: this is the hook
		}
	}

}
