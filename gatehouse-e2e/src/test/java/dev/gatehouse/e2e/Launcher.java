package dev.gatehouse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's launcher, {@code ./gatehouse}, as a user does: from the repository root, with the jars the
 * reactor has just packaged ({@code GATEHOUSE_SKIP_BUILD=1}: a test never builds) and the demo's files in
 * {@link #demoDir()}. SIGINT is reset to its default
 * disposition for the launcher ({@code env --default-signal=INT}): a process started in the background of a
 * non-interactive shell (as Maven may be in CI) inherits SIGINT ignored, and a shell cannot trap a signal ignored at
 * its start, so Ctrl+C could not otherwise be simulated.
 */
final class Launcher {

	private Launcher() {
	}

	/** The repository root: the parent of this module (Surefire passes it). */
	static Path root() {
		String root = System.getProperty("gatehouse.repo.root");
		return (root != null) ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
	}

	/** Where the tests keep the launcher's output: {@code gatehouse-e2e/target/e2e}. */
	static Path outputDir() {
		Path dir = root().resolve("gatehouse-e2e/target/e2e");
		try {
			return Files.createDirectories(dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The demo directory of these tests ({@code GATEHOUSE_DEMO_DIR}), under {@code target}: a newcomer's first run
	 * starts with none, and a developer's own {@code data/demo} is left alone.
	 */
	static Path demoDir() {
		return outputDir().resolve("demo-data");
	}

	/** Deletes {@link #demoDir()}, so that the next demo is a first run. */
	static void forgetDemo() {
		Path dir = demoDir();
		if (!Files.exists(dir)) {
			return;
		}
		try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static ProcessBuilder command(Map<String, String> environment, String... args) {
		List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
				root().resolve("gatehouse").toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile());
		builder.environment().put("GATEHOUSE_SKIP_BUILD", "1");
		builder.environment().put("GATEHOUSE_DEMO_DIR", demoDir().toString());
		builder.environment().putAll(environment);
		return builder;
	}

	/**
	 * Runs a launcher command to its end.
	 * @param timeout how long it may take; the test fails (and the process is killed) beyond
	 * @param args the command line after {@code ./gatehouse}
	 * @return its exit status and output
	 */
	static Result run(Duration timeout, String... args) {
		return run(Map.of(), timeout, args);
	}

	static Result run(Map<String, String> environment, Duration timeout, String... args) {
		try {
			Path out = Files.createTempFile(outputDir(), "launcher", ".out");
			Path err = Files.createTempFile(outputDir(), "launcher", ".err");
			Process process = command(environment, args).redirectOutput(out.toFile())
				.redirectError(err.toFile())
				.start();
			long started = System.nanoTime();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				throw new AssertionError("./gatehouse " + String.join(" ", args) + " did not end within " + timeout
						+ "; stderr: " + Files.readString(err));
			}
			return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
					Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - started));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A demo user's access token for the gateway: {@code ./gatehouse token USER} (never printed). */
	static String token(String user) {
		Result result = run(Duration.ofSeconds(60), "token", user);
		if (result.exit() != 0) {
			throw new AssertionError("./gatehouse token " + user + " failed: " + result.err());
		}
		return result.out().strip();
	}

	/**
	 * A finished launcher command.
	 * @param exit its exit status
	 * @param out its standard output
	 * @param err its standard error
	 * @param took how long it ran
	 */
	record Result(int exit, String out, String err, Duration took) {
	}

}
