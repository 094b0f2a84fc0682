package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.server.GatehouseApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real gateway for a test: the Spring Boot application on an ephemeral loopback port, with its own data
 * directory, master key and (by default) the embedded H2 database.
 */
public final class TestGateway implements AutoCloseable {

	/**
	 * The management token every test gateway accepts on {@code /actuator/**} (beyond health), unless a test sets
	 * {@code gatehouse.management.token} itself.
	 */
	public static final String MANAGEMENT_TOKEN = "management-token-for-tests";

	private final ConfigurableApplicationContext context;

	private final Path dataDir;

	private TestGateway(ConfigurableApplicationContext context, Path dataDir) {
		this.context = context;
		this.dataDir = dataDir;
	}

	public static Builder builder() {
		return new Builder();
	}

	public int port() {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	public String mcpUrl() {
		return baseUrl() + "/mcp";
	}

	public Path dataDir() {
		return dataDir;
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	public ConfigurableApplicationContext context() {
		return context;
	}

	public McpTestClient client() {
		return new McpTestClient(mcpUrl());
	}

	public AdminClient admin() {
		return new AdminClient(baseUrl());
	}

	@Override
	public void close() {
		context.close();
	}

	/** Writes a fresh base64 master key to a file and returns its path. */
	public static Path writeMasterKey(Path dir) {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		try {
			Files.createDirectories(dir);
			Path file = Files.writeString(dir.resolve("master.key"), Base64.getEncoder().encodeToString(key));
			if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
				Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static final class Builder {

		private final Map<String, Object> properties = new LinkedHashMap<>();

		private Path dataDir;

		private java.time.Clock clock;

		private final Map<String, Object> beans = new LinkedHashMap<>();

		private Builder() {
			properties.put("server.port", "0");
			properties.put("server.address", "127.0.0.1");
			properties.put("gatehouse.public-url", "http://localhost:8080");
			properties.put("gatehouse.access.local-user.enabled", "true");
			properties.put("gatehouse.upstream.allow-insecure-loopback", "true");
			properties.put("gatehouse.cluster.poll-interval", "100ms");
			properties.put("logging.level.root", "WARN");
			properties.put("logging.level.dev.gatehouse", "INFO");
			properties.put("spring.main.banner-mode", "off");
		}

		public Builder property(String name, Object value) {
			properties.put(name, value);
			return this;
		}

		/** The gateway's clock instead of the system's (a {@link SteppedClock} shared with the IdP and targets). */
		public Builder clock(java.time.Clock clock) {
			this.clock = clock;
			return this;
		}

		/** Registers a singleton before the context starts, such as a tracing span exporter that records spans. */
		public Builder bean(String name, Object bean) {
			beans.put(name, bean);
			return this;
		}

		public Builder dataDir(Path dir) {
			this.dataDir = dir;
			return this;
		}

		/** Uses a PostgreSQL database instead of the embedded H2. */
		public Builder postgres(String jdbcUrl) {
			properties.put("spring.datasource.url", jdbcUrl);
			return this;
		}

		/**
		 * The properties as command-line arguments. Not {@code SpringApplicationBuilder.properties(..)}: those are
		 * default properties, which rank below {@code application.yml}, so its {@code server.port: 8080} would win
		 * over {@code server.port=0} and every test gateway would bind 8080.
		 */
		private String[] arguments() {
			return properties.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
		}

		public TestGateway start() {
			try {
				Path dir = (dataDir != null) ? dataDir : Files.createTempDirectory("gatehouse-test");
				properties.putIfAbsent("gatehouse.data-dir", dir.toString());
				if (!properties.containsKey("gatehouse.vault.master-key-file")) {
					Path keyFile = dir.resolve("master.key");
					if (!Files.exists(keyFile)) {
						writeMasterKey(dir);
					}
					properties.put("gatehouse.vault.master-key-file", keyFile.toString());
				}
				if (!properties.containsKey("gatehouse.management.token")) {
					Path token = Files.createTempFile("gatehouse-management", ".token");
					Files.writeString(token, MANAGEMENT_TOKEN);
					token.toFile().deleteOnExit();
					properties.put("gatehouse.management.token", "file:" + token);
				}
				else if (properties.get("gatehouse.management.token") == null) {
					properties.remove("gatehouse.management.token");
				}
				SpringApplicationBuilder application = new SpringApplicationBuilder(GatehouseApplication.class);
				if (clock != null) {
					java.time.Clock given = clock;
					application.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("clock", given));
				}
				Map<String, Object> extra = new LinkedHashMap<>(beans);
				application.initializers((ctx) -> extra.forEach(ctx.getBeanFactory()::registerSingleton));
				ConfigurableApplicationContext context = application.run(arguments());
				return new TestGateway(context, dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}
}
