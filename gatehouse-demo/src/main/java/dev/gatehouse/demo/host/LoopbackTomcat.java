package dev.gatehouse.demo.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.servlet.Filter;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Tomcat with one connector on {@value #BIND_ADDRESS}, one root context, one
 * MCP servlet, an optional guard filter in front of it (API key or bearer token) and, for
 * bearer tokens, the protected resource metadata servlet. Its scratch directory is
 * created per instance and deleted on {@link #stop()}.
 */
final class LoopbackTomcat {

	static final String BIND_ADDRESS = "127.0.0.1";

	private static final Logger logger = LoggerFactory.getLogger(LoopbackTomcat.class);

	private static final String SERVLET_NAME = "mcp";

	private static final String FILTER_NAME = "guard";

	private static final String METADATA_SERVLET_NAME = "protectedResourceMetadata";

	private final Tomcat tomcat;

	private final Path baseDir;

	private final int port;

	private LoopbackTomcat(Tomcat tomcat, Path baseDir, int port) {
		this.tomcat = tomcat;
		this.baseDir = baseDir;
		this.port = port;
	}

	/**
	 * Starts Tomcat.
	 * @param port the TCP port, {@code 0} for an ephemeral one
	 * @param transport the SDK servlet and its mappings
	 * @param guard the filter to put in front of the MCP servlet, or {@code null} for none
	 * @param metadata the protected resource metadata servlet, or {@code null} for none
	 * @return the running instance
	 * @throws IllegalStateException if Tomcat cannot start, typically because the port is
	 * taken
	 */
	static LoopbackTomcat start(int port, HostTransport transport, @Nullable Filter guard,
			@Nullable ProtectedResourceMetadataServlet metadata) {
		Path baseDir = createBaseDir();
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector();
		connector.setPort(port);
		connector.setProperty("address", BIND_ADDRESS);
		// Without this a bind failure is only logged and start() "succeeds" with no
		// listening socket.
		connector.setThrowOnFailure(true);
		tomcat.setConnector(connector);
		tomcat.getHost().setAutoDeploy(false);
		Context context = tomcat.addContext("", baseDir.toString());
		context.setLoader(new ApplicationLoader(LoopbackTomcat.class.getClassLoader()));
		addServlet(context, transport);
		if (guard != null) {
			addFilter(context, guard);
		}
		if (metadata != null) {
			Tomcat.addServlet(context, METADATA_SERVLET_NAME, metadata);
			metadata.mappings().forEach((mapping) -> context.addServletMappingDecoded(mapping, METADATA_SERVLET_NAME));
		}
		try {
			tomcat.start();
		}
		catch (LifecycleException ex) {
			stopAndDestroy(tomcat);
			deleteRecursively(baseDir);
			throw new IllegalStateException(
					"Could not start an MCP server on " + BIND_ADDRESS + ":" + port + ": " + rootCauseMessage(ex), ex);
		}
		return new LoopbackTomcat(tomcat, baseDir, connector.getLocalPort());
	}

	/**
	 * Guards the MCP servlet only (by servlet name): the metadata servlet stays open.
	 */
	private static void addFilter(Context context, Filter guard) {
		FilterDef definition = new FilterDef();
		definition.setFilterName(FILTER_NAME);
		definition.setFilter(guard);
		definition.setAsyncSupported("true");
		context.addFilterDef(definition);
		FilterMap mapping = new FilterMap();
		mapping.setFilterName(FILTER_NAME);
		mapping.addServletName(SERVLET_NAME);
		context.addFilterMap(mapping);
	}

	private static void addServlet(Context context, HostTransport transport) {
		Wrapper wrapper = Tomcat.addServlet(context, SERVLET_NAME, transport.servlet());
		wrapper.setAsyncSupported(true);
		wrapper.setLoadOnStartup(1);
		for (String mapping : transport.servletMappings()) {
			context.addServletMappingDecoded(mapping, SERVLET_NAME);
		}
	}

	private static String rootCauseMessage(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	int port() {
		return this.port;
	}

	/**
	 * Stops and destroys Tomcat and deletes its scratch directory. Failures are logged,
	 * not thrown, so that {@code close()} always gets as far as it can.
	 */
	void stop() {
		stopAndDestroy(this.tomcat);
		deleteRecursively(this.baseDir);
	}

	private static void stopAndDestroy(Tomcat tomcat) {
		try {
			tomcat.stop();
			tomcat.destroy();
		}
		catch (LifecycleException ex) {
			logger.warn("Tomcat did not stop cleanly", ex);
		}
	}

	private static Path createBaseDir() {
		try {
			return Files.createTempDirectory("gatehouse-demo-tomcat-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a Tomcat base directory", ex);
		}
	}

	private static void deleteRecursively(Path root) {
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(root)) {
			paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
		}
		catch (IOException ex) {
			logger.debug("Could not list {} for deletion", root, ex);
			return;
		}
		for (Path path : paths) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				logger.debug("Could not delete {}", path, ex);
			}
		}
	}

}
