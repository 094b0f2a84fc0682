package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./gatehouse demo} running as a process, its standard output and error in files under
 * {@code gatehouse-e2e/target/e2e}. {@link #close()} stops it as Ctrl+C does (SIGINT to the launcher) and, as a
 * last resort, kills what it left, so that a failed test does not block the demo's fixed ports for the next one.
 */
final class DemoProcess implements AutoCloseable {

	/** The banner's last line. */
	static final String BANNER_END = "Press Ctrl+C to stop.";

	private final Process process;

	private final Path out;

	private final Path err;

	private List<ProcessHandle> started = List.of();

	private DemoProcess(Process process, Path out, Path err) {
		this.process = process;
		this.out = out;
		this.err = err;
	}

	static DemoProcess start(String name, String... options) {
		try {
			Path out = Launcher.outputDir().resolve(name + ".out");
			Path err = Launcher.outputDir().resolve(name + ".err");
			String[] args = new String[options.length + 1];
			args[0] = "demo";
			System.arraycopy(options, 0, args, 1, options.length);
			Process process = Launcher.command(Map.of(), args)
				.redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			return new DemoProcess(process, out, err);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits for the banner's last line; fails if the launcher ends first or the time runs out.
	 * @param timeout the longest wait
	 */
	void awaitBanner(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!out().contains(BANNER_END)) {
			if (!process.isAlive()) {
				throw new AssertionError("./gatehouse demo ended (exit " + process.exitValue() + ") before its banner: "
						+ err());
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("./gatehouse demo printed no banner within " + timeout + ": " + err());
			}
			sleep(50);
		}
		this.started = process.descendants().toList();
	}

	/** The processes the launcher had started when its banner appeared (Java: demo servers, gateway). */
	List<ProcessHandle> startedProcesses() {
		return started;
	}

	/** Sends SIGINT to the launcher, as Ctrl+C in its terminal does. */
	void interrupt() {
		try {
			Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
			kill.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Waits for the launcher to end.
	 * @param timeout the longest wait
	 * @return its exit status
	 */
	int awaitExit(Duration timeout) {
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("./gatehouse demo did not end within " + timeout);
			}
			return process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	boolean isAlive() {
		return process.isAlive();
	}

	String out() {
		return read(out);
	}

	String err() {
		return read(err);
	}

	@Override
	public void close() {
		List<ProcessHandle> children = process.isAlive() ? process.descendants().toList() : started;
		if (process.isAlive()) {
			interrupt();
			try {
				process.waitFor(40, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		process.destroyForcibly();
		children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
