package dev.gatehouse.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code gatehouse.data-dir} private to the gateway's user: the directory {@code 0700}, every file in it
 * {@code 0600} (the embedded H2 database holds sealed tokens, the audit trail and the policy).
 * <p>
 * Java cannot set the process umask and H2 creates its files with the default one ({@code 0644} under the usual
 * {@code 022}), so: the directory is created {@code 0700} (or tightened, with a warning, when it exists and is
 * open to others) before the data source is initialised, which already keeps others out of every file in it;
 * once the application has started (the database file exists), files open to group or others are narrowed to
 * their owner's bits. A file that was already too open before the start is reported with a warning. Where the
 * file system has no POSIX permissions (Windows), nothing is done.
 */
@Component
final class DataDirectoryPermissions implements BeanPostProcessor, SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(DataDirectoryPermissions.class);

	private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

	private final Path directory;

	private final boolean create;

	private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private boolean prepared;

	DataDirectoryPermissions(Environment environment) {
		this.directory = Path.of(environment.getProperty("gatehouse.data-dir", "./data")).toAbsolutePath().normalize();
		// Create the directory only when the embedded database will use it (not for a PostgreSQL deployment).
		this.create = environment.getProperty("spring.datasource.url", "jdbc:h2:file:").startsWith("jdbc:h2:file:");
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource) {
			prepare();
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		prepare();
		if (posix && Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			tightenFiles(false);
		}
	}

	/** Creates the directory {@code 0700}, or tightens it (and the files already in it) when it is too open. */
	synchronized void prepare() {
		if (prepared || !posix) {
			return;
		}
		prepared = true;
		try {
			if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
				if (!create) {
					return;
				}
				Path parent = directory.getParent();
				if (parent != null) {
					Files.createDirectories(parent);
				}
				Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
				// The umask may still have removed owner bits; set exactly 0700.
				Files.setPosixFilePermissions(directory, DIRECTORY);
				return;
			}
			tightenDirectory();
			tightenFiles(true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the data directory " + directory, ex);
		}
		catch (UnsupportedOperationException ex) {
			logger.debug("The file system of {} has no POSIX permissions", directory);
		}
	}

	/** An existing directory open to group or others becomes 0700; one the gateway may not change is reported. */
	private void tightenDirectory() {
		try {
			Set<PosixFilePermission> current = Files.getPosixFilePermissions(directory);
			if (!current.equals(DIRECTORY)) {
				Files.setPosixFilePermissions(directory, DIRECTORY);
				logger.warn("The data directory {} was {}; it is now rwx------ (only the gateway's user may read it)",
						directory, PosixFilePermissions.toString(current));
			}
		}
		catch (IOException ex) {
			logger.warn("The data directory {} may be open to other users and could not be narrowed to rwx------: {}",
					directory, ex.getMessage());
		}
	}

	/**
	 * Removes group and other bits from every regular file directly in the directory (not deeper, and never
	 * through a symbolic link: a data directory set to a shared path must not reach beyond the gateway's files).
	 */
	private void tightenFiles(boolean existedBefore) {
		List<Path> files;
		try (Stream<Path> list = Files.list(directory)) {
			files = list.filter((p) -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
		}
		catch (IOException ex) {
			logger.warn("Could not list the data directory {}: {}", directory, ex.getMessage());
			return;
		}
		for (Path file : files) {
			try {
				Set<PosixFilePermission> current = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
				Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
				owner.addAll(current);
				owner.removeAll(OTHERS);
				if (!owner.equals(current)) {
					Files.setPosixFilePermissions(file, owner);
					if (existedBefore) {
						logger.warn("The file {} in the data directory was {}; it is now {}", file,
								PosixFilePermissions.toString(current), PosixFilePermissions.toString(owner));
					}
					else {
						logger.debug("Narrowed {} to {}", file, PosixFilePermissions.toString(owner));
					}
				}
			}
			catch (IOException ex) {
				logger.warn("Could not narrow the permissions of {}: {}", file, ex.getMessage());
			}
		}
	}
}
