package dev.gatehouse.server.access;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gatehouse.core.access.Caller;
import jakarta.annotation.PreDestroy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The users who have called the gateway, with the roles and scopes of their latest token, so that an admin can
 * ask "would bob be allowed to…" without holding bob's token. Written off the request path, once per newly
 * verified token.
 */
@Component
public final class Principals {

	private static final Logger logger = LoggerFactory.getLogger(Principals.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ExecutorService writer = Executors.newSingleThreadExecutor((r) -> {
		Thread thread = new Thread(r, "gatehouse-principals");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * A user as last seen.
	 *
	 * @param issuer the token issuer
	 * @param subject the subject
	 * @param clientId the client of the latest token, or {@code null}
	 * @param roles the roles of the latest token
	 * @param scopes the scopes of the latest token
	 * @param lastSeen when
	 */
	public record Principal(String issuer, String subject, @Nullable String clientId, Set<String> roles,
			Set<String> scopes, Instant lastSeen) {
	}

	Principals(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Records a caller, asynchronously. */
	void seen(Caller caller) {
		Instant now = clock.instant();
		writer.execute(() -> {
			try {
				String roles = json.writeValueAsString(new TreeSet<>(caller.roles()));
				String scopes = json.writeValueAsString(new TreeSet<>(caller.scopes()));
				int updated = jdbc.sql("update principal set client_id = ?, roles = ?, scopes = ?, last_seen = ? "
						+ "where issuer = ? and subject = ?")
					.params(caller.clientId(), roles, scopes, Timestamp.from(now), caller.issuer(), caller.subject())
					.update();
				if (updated == 0) {
					jdbc.sql("insert into principal (issuer, subject, client_id, roles, scopes, first_seen, last_seen) "
							+ "values (?, ?, ?, ?, ?, ?, ?)")
						.params(caller.issuer(), caller.subject(), caller.clientId(), roles, scopes, Timestamp.from(now),
								Timestamp.from(now))
						.update();
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not record principal {}: {}", caller.subject(), ex.getMessage());
			}
		});
	}

	/** The users with this subject (at any issuer, or at {@code issuer}), most recent first. */
	public List<Principal> find(@Nullable String issuer, String subject) {
		String sql = "select issuer, subject, client_id, roles, scopes, last_seen from principal where subject = ?"
				+ ((issuer != null) ? " and issuer = ?" : "") + " order by last_seen desc";
		var spec = jdbc.sql(sql).param(subject);
		if (issuer != null) {
			spec = spec.param(issuer);
		}
		return spec.query((rs, n) -> new Principal(rs.getString(1), rs.getString(2), rs.getString(3),
				Set.copyOf(List.of(json.readValue(rs.getString(4), String[].class))),
				Set.copyOf(List.of(json.readValue(rs.getString(5), String[].class))), rs.getTimestamp(6).toInstant()))
			.list();
	}

	public Optional<Principal> latest(@Nullable String issuer, String subject) {
		return find(issuer, subject).stream().findFirst();
	}

	@PreDestroy
	void close() {
		writer.shutdown();
	}
}
