package dev.gatehouse.server.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetDefinitions;
import dev.gatehouse.core.target.UrlRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code target} table. Definitions are stored in the registry schema, with secret references only.
 */
@Repository
class TargetRepository {

	private static final Logger logger = LoggerFactory.getLogger(TargetRepository.class);

	private final JdbcClient jdbc;

	private final JsonMapper json = JsonMapper.builder().build();

	private final UrlRules urls;

	TargetRepository(JdbcClient jdbc, UrlRules urls) {
		this.jdbc = jdbc;
		this.urls = urls;
	}

	List<StoredTarget> findAll() {
		return jdbc.sql("select name, definition, source, revision, created_at, updated_at from target order by name")
			.query(this::row)
			.list()
			.stream()
			.flatMap(Optional::stream)
			.toList();
	}

	Optional<StoredTarget> find(String name) {
		return jdbc
			.sql("select name, definition, source, revision, created_at, updated_at from target where name = ?")
			.param(name)
			.query(this::row)
			.optional()
			.flatMap((o) -> o);
	}

	void insert(StoredTarget stored) {
		jdbc.sql("insert into target (name, definition, source, enabled, revision, created_at, updated_at) "
				+ "values (?, ?, ?, ?, ?, ?, ?)")
			.params(stored.name(), definition(stored.target()), stored.source(), stored.target().enabled(),
					stored.revision(), Timestamp.from(stored.createdAt()), Timestamp.from(stored.updatedAt()))
			.update();
	}

	/** Updates a target if its revision is still {@code expectedRevision}; returns whether it did. */
	boolean update(StoredTarget stored, long expectedRevision) {
		return jdbc.sql("update target set definition = ?, source = ?, enabled = ?, revision = ?, updated_at = ? "
				+ "where name = ? and revision = ?")
			.params(definition(stored.target()), stored.source(), stored.target().enabled(), stored.revision(),
					Timestamp.from(stored.updatedAt()), stored.name(), expectedRevision)
			.update() == 1;
	}

	boolean delete(String name) {
		return jdbc.sql("delete from target where name = ?").param(name).update() == 1;
	}

	private String definition(Target target) {
		return json.writeValueAsString(TargetDefinitions.toJson(target));
	}

	private Optional<StoredTarget> row(ResultSet rs, int n) throws SQLException {
		String name = rs.getString("name");
		try {
			// Re-validated on read: a row written by an older version, or with loopback URLs when the current
			// configuration no longer allows them, is skipped rather than trusted.
			Target target = TargetDefinitions.parse(json.readTree(rs.getString("definition")), urls);
			return Optional.of(new StoredTarget(target, rs.getString("source"), rs.getLong("revision"),
					rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant()));
		}
		catch (RuntimeException ex) {
			logger.error("Stored target '{}' is no longer valid and is ignored: {}", name, ex.getMessage());
			return Optional.empty();
		}
	}
}
