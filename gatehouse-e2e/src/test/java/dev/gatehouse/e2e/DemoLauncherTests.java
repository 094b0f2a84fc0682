package dev.gatehouse.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./gatehouse demo} and {@code ./gatehouse build} on the paths where they must refuse or explain: a busy port,
 * the first build. The demo's fixed ports are used only by this module, one test at a time.
 */
class DemoLauncherTests {

	@BeforeEach
	void demoPortsAreFree() {
		for (int port : Ports.DEMO_SERVER_PORTS) {
			assertThat(Ports.listeners(port)).as("port %d must be free for the demo tests", port).isEmpty();
		}
	}

	@Test
	void demoWhenGatewayPortBusyThenFailsAtOnceNamingThePortAndLeavesNothingRunning() throws IOException {
		try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			int port = busy.getLocalPort();
			Launcher.Result result = Launcher.run(Duration.ofSeconds(60), "demo", "--port", Integer.toString(port));

			assertThat(result.exit()).isNotZero();
			assertThat(result.err()).contains("port " + port).contains("--port");
			assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
			for (int demoPort : Ports.DEMO_SERVER_PORTS) {
				assertThat(Ports.listeners(demoPort)).as("port %d after the refusal", demoPort).isEmpty();
			}
		}
	}

	@Test
	void demoWhenAServerPortBusyThenFailsAtOnceNamingItAndLeavesNothingRunning() throws IOException {
		try (ServerSocket busy = new ServerSocket(8091, 50, InetAddress.getLoopbackAddress())) {
			int gatewayPort = Ports.freePort();
			Launcher.Result result = Launcher.run(Duration.ofSeconds(60), "demo", "--port",
					Integer.toString(gatewayPort));

			assertThat(result.exit()).isNotZero();
			assertThat(result.err()).contains("port 8091").contains("--port");
			assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
			assertThat(Ports.listeners(9000)).isEmpty();
			assertThat(Ports.listeners(8092)).isEmpty();
			assertThat(Ports.listeners(gatewayPort)).isEmpty();
		}
	}

	@Test
	void demoWhenTheGatewayFailsToStartThenStopsTheDemoServersAndSaysSo() throws IOException {
		// A database file the gateway cannot open: it starts, then fails, after the demo servers run.
		Launcher.forgetDemo();
		Files.createDirectories(Launcher.demoDir());
		Files.write(Launcher.demoDir().resolve("gatehouse.mv.db"), new byte[8192]);
		try {
			Launcher.Result result = Launcher.run(Duration.ofSeconds(150), "demo");

			assertThat(result.exit()).isNotZero();
			assertThat(result.err()).contains("the gateway did not start");
			assertThat(result.out()).doesNotContain("Press Ctrl+C to stop.");
			for (int port : Ports.DEMO_SERVER_PORTS) {
				assertThat(Ports.listeners(port)).as("port %d after the gateway failed", port).isEmpty();
			}
			assertThat(Launcher.demoDir().resolve("demo.pid")).doesNotExist();
		}
		finally {
			Launcher.forgetDemo();
		}
	}

	@Test
	void demoWhenTheLockNamesAProcessThatEndedThenTakesItOver() throws Exception {
		// A demo killed with SIGKILL leaves its lock behind: the pid of a process that has ended.
		Process ended = new ProcessBuilder("true").start();
		ended.waitFor();
		Launcher.forgetDemo();
		Files.createDirectories(Launcher.demoDir());
		Files.writeString(Launcher.demoDir().resolve("demo.pid"), ended.pid() + "\n");
		try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Launcher.Result result = Launcher.run(Duration.ofSeconds(60), "demo", "--port",
					Integer.toString(busy.getLocalPort()));

			assertThat(result.err()).doesNotContain("already running").contains("port " + busy.getLocalPort());
			assertThat(Launcher.demoDir().resolve("demo.pid")).doesNotExist();
		}
		finally {
			Launcher.forgetDemo();
		}
	}

	@Test
	void demoWhenPortIsNotANumberThenSaysSo() {
		Launcher.Result result = Launcher.run(Duration.ofSeconds(30), "demo", "--port", "eighty");

		assertThat(result.exit()).isNotZero();
		assertThat(result.err()).contains("--port needs a port number").contains("'eighty'");
	}

	@Test
	void buildShowsWhatItDoesModuleByModule() throws IOException {
		Path bin = fakeMaven("""
				echo '[INFO] Scanning for projects...'
				echo '[INFO] Building Gatehouse core 0.1.0-SNAPSHOT                             [1/2]'
				echo '[INFO] Compiling 12 source files with javac'
				echo '[INFO] Building Gatehouse server 0.1.0-SNAPSHOT                           [2/2]'
				echo '[INFO] BUILD SUCCESS'
				""");

		Launcher.Result result = Launcher.run(withPath(bin), Duration.ofSeconds(30), "build");

		assertThat(result.exit()).isZero();
		assertThat(result.err()).contains("Building Gatehouse (")
			.contains("module 1 of 2: Gatehouse core")
			.contains("module 2 of 2: Gatehouse server")
			.doesNotContain("Compiling 12 source files");
	}

	@Test
	void buildWhenMavenFailsThenShowsItsErrors() throws IOException {
		Path bin = fakeMaven("""
				echo '[INFO] Building Gatehouse core 0.1.0-SNAPSHOT                             [1/2]'
				echo '[ERROR] Failed to execute goal: compilation failure in Foo.java'
				exit 1
				""");

		Launcher.Result result = Launcher.run(withPath(bin), Duration.ofSeconds(30), "build");

		assertThat(result.exit()).isNotZero();
		assertThat(result.err()).contains("[ERROR] Failed to execute goal: compilation failure in Foo.java")
			.contains("the build failed");
	}

	@Test
	void aConfigurationFileAtTheTopIsNoReasonToRebuild() throws IOException {
		Path built = Files.createTempFile(Launcher.outputDir(), "built", ".marker");
		Files.delete(built);
		Path bin = fakeMaven("touch '" + built + "'\n");
		Path config = Launcher.root().resolve("gatehouse.yml");
		assertThat(config).as("README's step 6 file must not exist in the work tree already").doesNotExist();
		try {
			Files.writeString(config, "# README's step 6: the user's own configuration\nserver:\n  port: 8080\n");

			// token builds if needed, then fails at once: no demo identity provider runs here.
			Launcher.run(withPath(bin), Duration.ofSeconds(60), "token", "alice", "--port", "1");

			assertThat(built).as("the launcher did not rebuild for the user's gatehouse.yml").doesNotExist();
		}
		finally {
			Files.deleteIfExists(config);
		}
	}

	/** A directory holding an executable {@code mvn} with the given body: the real build is never run here. */
	private static Path fakeMaven(String body) throws IOException {
		Path bin = Files.createTempDirectory(Launcher.outputDir(), "fake-maven");
		Path mvn = bin.resolve("mvn");
		Files.writeString(mvn, "#!/bin/sh\n" + body);
		Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
		return bin;
	}

	private static Map<String, String> withPath(Path bin) {
		return Map.of("PATH", bin + ":" + System.getenv("PATH"), "GATEHOUSE_SKIP_BUILD", "");
	}

}
