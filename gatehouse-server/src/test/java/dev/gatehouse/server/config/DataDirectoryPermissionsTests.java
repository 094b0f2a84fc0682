package dev.gatehouse.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data directory and the embedded database's files are private to the gateway's user, with the process's
 * real umask (nothing here changes it): a fresh directory is created {@code 0700} and its files end {@code 0600};
 * an existing directory and files open to others are tightened; a PostgreSQL deployment creates no directory.
 */
class DataDirectoryPermissionsTests {

	@Test
	void startWhenDataDirIsFreshThenDirectory0700AndDatabaseFiles0600() throws Exception {
		Path parent = Files.createTempDirectory("gatehouse-perms");
		Path data = parent.resolve("data");
		Path key = TestGateway.writeMasterKey(parent.resolve("keys"));
		try (TestGateway gateway = TestGateway.builder().dataDir(data)
			.property("gatehouse.vault.master-key-file", key.toString())
			.start()) {
			assertThat(mode(data)).isEqualTo("rwx------");
			assertThat(data.resolve("gatehouse.mv.db")).exists();
			assertThat(mode(data.resolve("gatehouse.mv.db"))).isEqualTo("rw-------");
			assertThat(files(data)).allSatisfy((file) -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
			assertThat(gateway.admin().get("/admin/api/targets").status()).isEqualTo(200);
		}
	}

	@Test
	void startWhenDataDirAndFilesAreOpenToOthersThenTightened() throws Exception {
		Path data = Files.createTempDirectory("gatehouse-perms-open");
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path leftover = Files.writeString(data.resolve("leftover.txt"), "x");
		Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-r--"));
		Path key = TestGateway.writeMasterKey(data);
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
		Path nested = Files.writeString(Files.createDirectory(data.resolve("sub")).resolve("keep.txt"), "x");
		Files.setPosixFilePermissions(nested, PosixFilePermissions.fromString("rw-r--r--"));
		try (TestGateway gateway = TestGateway.builder().dataDir(data).start()) {
			assertThat(mode(data)).isEqualTo("rwx------");
			assertThat(mode(nested)).as("only files directly in the directory are narrowed").isEqualTo("rw-r--r--");
			assertThat(mode(leftover)).isEqualTo("rw-------");
			assertThat(mode(key)).isEqualTo("rw-------");
			assertThat(mode(data.resolve("gatehouse.mv.db"))).isEqualTo("rw-------");
		}
	}

	@Test
	void startWhenDatabaseIsPostgresThenNoDataDirIsCreated() throws Exception {
		Path parent = Files.createTempDirectory("gatehouse-perms-pg");
		Path data = parent.resolve("data");
		Path key = TestGateway.writeMasterKey(parent.resolve("keys"));
		try (TestGateway gateway = TestGateway.builder().postgres(Postgres.newDatabase()).dataDir(data)
			.property("gatehouse.vault.master-key-file", key.toString())
			.start()) {
			assertThat(data).doesNotExist();
		}
	}

	private static String mode(Path path) {
		try {
			return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static List<Path> files(Path dir) throws java.io.IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.filter(Files::isRegularFile).toList();
		}
	}
}
