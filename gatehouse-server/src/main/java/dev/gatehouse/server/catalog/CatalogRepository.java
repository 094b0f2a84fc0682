package dev.gatehouse.server.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tables {@code catalog_entry}, {@code catalog_drift} and {@code catalog_sync}.
 */
@Repository
class CatalogRepository {

	private final JdbcClient jdbc;

	private final JsonMapper json = JsonMapper.builder().build();

	CatalogRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<CatalogEntry> findAll() {
		return jdbc.sql("select target, kind, name, definition, hash, first_seen, last_changed from catalog_entry "
				+ "order by target, kind, name").query(this::entry).list();
	}

	List<CatalogEntry> findByTarget(String target) {
		return jdbc.sql("select target, kind, name, definition, hash, first_seen, last_changed from catalog_entry "
				+ "where target = ? order by kind, name").param(target).query(this::entry).list();
	}

	/**
	 * Inserts a definition unless another instance synchronising the same target inserted it first.
	 * @return whether this call inserted it
	 */
	boolean insert(CatalogEntry entry) {
		return jdbc.sql("insert into catalog_entry (target, kind, name, definition, hash, first_seen, last_changed) "
				+ "values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
			.params(entry.target(), entry.kind().id(), entry.name(), json.writeValueAsString(entry.definition()),
					entry.hash(), ts(entry.firstSeen()), ts(entry.lastChanged()))
			.update() == 1;
	}

	/** Replaces a definition only if it still has {@code oldHash}; returns whether this call changed it. */
	boolean replace(CatalogEntry entry, String oldHash) {
		return jdbc.sql("update catalog_entry set definition = ?, hash = ?, last_changed = ? "
				+ "where target = ? and kind = ? and name = ? and hash = ?")
			.params(json.writeValueAsString(entry.definition()), entry.hash(), ts(entry.lastChanged()), entry.target(),
					entry.kind().id(), entry.name(), oldHash)
			.update() == 1;
	}

	boolean delete(CatalogEntry entry) {
		return jdbc.sql("delete from catalog_entry where target = ? and kind = ? and name = ? and hash = ?")
			.params(entry.target(), entry.kind().id(), entry.name(), entry.hash())
			.update() == 1;
	}

	void deleteTarget(String target) {
		jdbc.sql("delete from catalog_entry where target = ?").param(target).update();
		jdbc.sql("delete from catalog_sync where target = ?").param(target).update();
	}

	void recordDrift(String target, EntryKind kind, String name, String change, @Nullable CatalogEntry before,
			@Nullable CatalogEntry after, Instant at) {
		jdbc.sql("insert into catalog_drift (target, kind, name, change, old_hash, new_hash, old_definition, "
				+ "new_definition, detected_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(target, kind.id(), name, change, (before != null) ? before.hash() : null,
					(after != null) ? after.hash() : null,
					(before != null) ? json.writeValueAsString(before.definition()) : null,
					(after != null) ? json.writeValueAsString(after.definition()) : null, ts(at))
			.update();
	}

	List<CatalogDrift> drift(@Nullable String target, int limit) {
		String sql = "select id, target, kind, name, change, old_hash, new_hash, old_definition, new_definition, "
				+ "detected_at from catalog_drift " + ((target != null) ? "where target = ? " : "")
				+ "order by id desc limit " + limit;
		var spec = jdbc.sql(sql);
		if (target != null) {
			spec = spec.param(target);
		}
		return spec.query((rs, n) -> new CatalogDrift(rs.getLong("id"), rs.getString("target"),
				EntryKind.of(rs.getString("kind")), rs.getString("name"), rs.getString("change"),
				rs.getString("old_hash"), rs.getString("new_hash"), parse(rs.getString("old_definition")),
				parse(rs.getString("new_definition")), rs.getTimestamp("detected_at").toInstant())).list();
	}

	/** Records an attempt; {@code ok} also records the success time. */
	void recordSync(String target, String status, @Nullable String message, Instant at) {
		int updated = jdbc.sql("update catalog_sync set status = ?, message = ?, attempted_at = ?, "
				+ "synced_at = case when ? = 'ok' then ? else synced_at end, generation = generation + 1 "
				+ "where target = ?")
			.params(status, message, ts(at), status, ts(at), target)
			.update();
		if (updated == 0) {
			jdbc.sql("insert into catalog_sync (target, status, message, synced_at, attempted_at, generation) "
					+ "values (?, ?, ?, ?, ?, 1)")
				.params(target, status, message, "ok".equals(status) ? ts(at) : null, ts(at))
				.update();
		}
	}

	Optional<SyncStatus> syncStatus(String target) {
		return jdbc.sql("select target, status, message, synced_at, attempted_at from catalog_sync where target = ?")
			.param(target)
			.query((rs, n) -> new SyncStatus(rs.getString(1), rs.getString(2), rs.getString(3),
					(rs.getTimestamp(4) != null) ? rs.getTimestamp(4).toInstant() : null,
					rs.getTimestamp(5).toInstant()))
			.optional();
	}

	private CatalogEntry entry(ResultSet rs, int n) throws SQLException {
		return new CatalogEntry(rs.getString("target"), EntryKind.of(rs.getString("kind")), rs.getString("name"),
				(ObjectNode) json.readTree(rs.getString("definition")), rs.getString("hash"),
				rs.getTimestamp("first_seen").toInstant(), rs.getTimestamp("last_changed").toInstant());
	}

	private @Nullable JsonNode parse(@Nullable String text) {
		return (text != null) ? json.readTree(text) : null;
	}

	private static Timestamp ts(Instant instant) {
		return Timestamp.from(instant);
	}
}
