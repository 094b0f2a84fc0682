package dev.gatehouse.server.mcp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.crypto.Envelope;
import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.crypto.Sha256;
import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;
import dev.gatehouse.server.cluster.ClusterEvents;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.monitor.McpMetrics;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * MCP sessions without server-side session storage: everything fixed at {@code initialize} (revision,
 * capabilities, owner, creation time) is sealed with AES-256-GCM into the session id, so any instance holding
 * the master key can open it. Only what changes later (ended, log level, subscriptions) is kept in the
 * database, and ended sessions reach every instance through the cluster events. See ADR 0001.
 * <p>
 * Opening an id costs one AES-GCM decryption (a few microseconds) and no I/O. Thread-safe.
 */
@Component
public final class McpSessions implements InitializingBean {

	private static final byte[] AAD = "gatehouse/mcp-session/v1".getBytes(StandardCharsets.US_ASCII);

	private static final byte FORMAT = 1;

	private static final int PLAINTEXT_BYTES = 1 + 8 + 16 + 1 + 1 + 16;

	static final String ENDED_EVENT = "session.ended";

	static final String LEVEL_EVENT = "session.level";

	private final Envelope envelope;

	private final Clock clock;

	private final Duration ttl;

	private final JdbcClient jdbc;

	private final ClusterEvents cluster;

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Instant> ended = new ConcurrentHashMap<>();

	private final Map<String, Optional<String>> levels = new ConcurrentHashMap<>();

	private final McpMetrics metrics;

	McpSessions(KeyRing masterKeys, Clock clock, GatehouseProperties properties, JdbcClient jdbc,
			ClusterEvents cluster, McpMetrics metrics) {
		this.metrics = metrics;
		this.envelope = new Envelope(masterKeys.derive("gatehouse/mcp-session/v1"));
		this.clock = clock;
		this.ttl = properties.mcp().sessionTtl();
		this.jdbc = jdbc;
		this.cluster = cluster;
	}

	@Override
	public void afterPropertiesSet() {
		cluster.subscribe(ENDED_EVENT, (payload) -> ended.put(payload.get("key").asString(),
				Instant.parse(payload.get("expires").asString())));
		cluster.subscribe(LEVEL_EVENT, (payload) -> levels.remove(payload.get("key").asString()));
		List<Map.Entry<String, Instant>> rows = jdbc
			.sql("select session_key, expires_at from mcp_session_state where ended_at is not null and expires_at > ?")
			.param(Timestamp.from(clock.instant()))
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getTimestamp(2).toInstant()))
			.list();
		rows.forEach((row) -> ended.put(row.getKey(), row.getValue()));
	}

	/** Creates a session owned by {@code caller}. */
	public McpSession create(Caller caller, ProtocolVersion version, ClientCapabilities capabilities) {
		Instant now = clock.instant();
		byte[] nonce = new byte[16];
		random.nextBytes(nonce);
		byte[] owner = caller.digest();
		ByteBuffer plain = ByteBuffer.allocate(PLAINTEXT_BYTES)
			.put(FORMAT)
			.putLong(now.getEpochSecond())
			.put(nonce)
			.put((byte) version.ordinal())
			.put((byte) capabilities.toBits())
			.put(owner);
		String id = Base64.getUrlEncoder().withoutPadding().encodeToString(envelope.seal(plain.array(), AAD));
		Instant created = Instant.ofEpochSecond(now.getEpochSecond());
		metrics.sessionOpened(created);
		return new McpSession(id, key(id), created, version, capabilities, owner);
	}

	/**
	 * Opens a session id presented by {@code caller}.
	 * @throws SessionNotFoundException if it is forged, expired, ended, or owned by someone else
	 */
	public McpSession open(String id, Caller caller) {
		if (id.length() > 512) {
			throw new SessionNotFoundException("too long");
		}
		byte[] plain;
		try {
			plain = envelope.open(Base64.getUrlDecoder().decode(id), AAD);
		}
		catch (IllegalArgumentException | CryptoException ex) {
			throw new SessionNotFoundException("does not open");
		}
		if (plain.length != PLAINTEXT_BYTES || plain[0] != FORMAT) {
			throw new SessionNotFoundException("unknown format");
		}
		ByteBuffer buffer = ByteBuffer.wrap(plain, 1, plain.length - 1);
		Instant created = Instant.ofEpochSecond(buffer.getLong());
		buffer.position(buffer.position() + 16);
		int versionIndex = buffer.get();
		int capabilityBits = buffer.get();
		byte[] owner = new byte[16];
		buffer.get(owner);
		if (!MessageDigest.isEqual(owner, caller.digest())) {
			throw new SessionNotFoundException("owned by another user");
		}
		if (!clock.instant().isBefore(created.plus(ttl))) {
			throw new SessionNotFoundException("expired");
		}
		String key = key(id);
		if (ended.containsKey(key)) {
			throw new SessionNotFoundException("ended");
		}
		ProtocolVersion[] versions = ProtocolVersion.values();
		if (versionIndex < 0 || versionIndex >= versions.length) {
			throw new SessionNotFoundException("unknown version");
		}
		return new McpSession(id, key, created, versions[versionIndex], ClientCapabilities.fromBits(capabilityBits),
				owner);
	}

	/** Ends a session on every instance: later requests with its id get 404. */
	public void end(McpSession session) {
		Instant expires = session.createdAt().plus(ttl);
		Instant now = clock.instant();
		upsert(() -> jdbc.sql("update mcp_session_state set ended_at = ? where session_key = ?")
			.params(Timestamp.from(now), session.key())
			.update(),
				() -> jdbc.sql("insert into mcp_session_state (session_key, ended_at, expires_at) values (?, ?, ?)")
					.params(session.key(), Timestamp.from(now), Timestamp.from(expires))
					.update());
		jdbc.sql("delete from mcp_session_subscription where session_key = ?").param(session.key()).update();
		ended.put(session.key(), expires);
		metrics.sessionEnded(session.createdAt());
		ObjectNode payload = JsonNodeFactory.instance.objectNode();
		payload.put("key", session.key());
		payload.put("expires", expires.toString());
		cluster.publish(ENDED_EVENT, payload);
	}

	/** The level set with {@code logging/setLevel}, or {@code null} when none was set. */
	public @Nullable String logLevel(McpSession session) {
		return levels.computeIfAbsent(session.key(), (key) -> jdbc
			.sql("select log_level from mcp_session_state where session_key = ?")
			.param(key)
			.query(String.class)
			.optional()).orElse(null);
	}

	public void setLogLevel(McpSession session, String level) {
		upsert(() -> jdbc.sql("update mcp_session_state set log_level = ? where session_key = ?")
			.params(level, session.key())
			.update(),
				() -> jdbc.sql("insert into mcp_session_state (session_key, log_level, expires_at) values (?, ?, ?)")
					.params(session.key(), level, Timestamp.from(session.createdAt().plus(ttl)))
					.update());
		levels.put(session.key(), Optional.of(level));
		ObjectNode payload = JsonNodeFactory.instance.objectNode();
		payload.put("key", session.key());
		cluster.publish(LEVEL_EVENT, payload);
	}

	/** Records that the session wants {@code notifications/resources/updated} for an exposed URI. */
	public void subscribe(McpSession session, String uri) {
		Timestamp expires = Timestamp.from(session.createdAt().plus(ttl));
		upsert(() -> jdbc.sql("update mcp_session_subscription set expires_at = ? where session_key = ? and uri = ?")
			.params(expires, session.key(), uri)
			.update(),
				() -> jdbc.sql("insert into mcp_session_subscription (session_key, uri, expires_at) values (?, ?, ?)")
					.params(session.key(), uri, expires)
					.update());
	}

	public void unsubscribe(McpSession session, String uri) {
		jdbc.sql("delete from mcp_session_subscription where session_key = ? and uri = ?")
			.params(session.key(), uri)
			.update();
	}

	/** The sessions subscribed to an exposed URI. */
	public List<String> subscribers(String uri) {
		return jdbc.sql("select session_key from mcp_session_subscription where uri = ? and expires_at > ?")
			.params(uri, Timestamp.from(clock.instant()))
			.query(String.class)
			.list();
	}

	/** Forgets ended sessions and state that expired. */
	@Scheduled(fixedDelay = 600_000, initialDelay = 600_000)
	void purge() {
		Instant now = clock.instant();
		ended.values().removeIf((expires) -> !now.isBefore(expires));
		levels.clear();
		jdbc.sql("delete from mcp_session_state where expires_at < ?").param(Timestamp.from(now)).update();
		jdbc.sql("delete from mcp_session_subscription where expires_at < ?").param(Timestamp.from(now)).update();
	}

	/**
	 * Updates a row, or inserts it when there is none, without a race between two requests of one session:
	 * when a concurrent request inserted the row between our update and our insert, the insert fails with a
	 * duplicate key and the update is tried again (the row now exists). Portable across H2 (PostgreSQL mode) and
	 * PostgreSQL 14+, which share no upsert syntax ({@code merge ... key} is H2-only, {@code on conflict do
	 * update} PostgreSQL-only). Each statement commits on its own, so a failed insert aborts no transaction.
	 */
	static void upsert(IntSupplier update, IntSupplier insert) {
		for (int attempt = 0; attempt < 5; attempt++) {
			if (update.getAsInt() > 0) {
				return;
			}
			try {
				insert.getAsInt();
				return;
			}
			catch (DuplicateKeyException ex) {
				// another request inserted the row first: update it
			}
		}
		throw new IllegalStateException("Session state row neither updatable nor insertable");
	}

	/** A short non-secret identifier of a session id. */
	static String key(String id) {
		byte[] digest = Sha256.digest(id.getBytes(StandardCharsets.US_ASCII));
		return HexFormat.of().formatHex(digest, 0, 16);
	}
}
