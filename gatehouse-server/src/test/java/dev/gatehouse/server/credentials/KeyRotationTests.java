package dev.gatehouse.server.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.core.oauth.TokenSet;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.server.credentials.vault.Vault;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The vault's keys change while the gateway serves: an online data key rotation re-seals every row under load
 * (tool calls and refreshes running) and loses no grant; a master key change re-wraps the data keys at start-up;
 * a gateway started with the wrong master key refuses to start and changes nothing. On PostgreSQL.
 */
class KeyRotationTests {

	static final String SYNTHETIC_ISSUER = "https://synthetic.example";

	static final int SYNTHETIC = 600;

	@TempDir
	Path dir;

	@Test
	void anOnlineRotationUnderLoadReSealsEveryRowAndLosesNoGrant() throws Exception {
		try (OAuthFixture fixture = OAuthFixture.builder()
			.upstreamTokenTtl(Duration.ofMinutes(5))
			.policy(ClientConfigurationTests.EVERYONE)
			.gateway((b) -> b.postgres(Postgres.newDatabase()).property("gatehouse.vault.rotation-batch-size", "20"))
			.start(); AuditCapture audit = AuditCapture.attach()) {
			fixture.connectFirst("alice");
			fixture.connectFirst("bob");
			TestGateway gateway = fixture.gateway();
			seed(gateway, SYNTHETIC);
			gateway.bean(VaultSecrets.class).put("test|rotation", "api_key", Secret.of("vault-secret-value"), null);
			int before = gateway.bean(Vault.class).activeKeyId();
			AdminClient admin = gateway.admin().withBearer(fixture.token("carol"));
			List<McpTestClient> agents = List.of(fixture.agent("alice"), fixture.agent("bob"));
			AtomicBoolean stop = new AtomicBoolean();
			AtomicInteger succeeded = new AtomicInteger();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService load = Executors.newFixedThreadPool(4);
			for (int i = 0; i < 4; i++) {
				McpTestClient agent = agents.get(i % 2);
				load.execute(() -> {
					while (!stop.get()) {
						JsonNode answer = agent.request("tools/call", OAuthFixture.RATING).response();
						if (answer.has("result") && !answer.get("result").path("isError").asBoolean(false)) {
							succeeded.incrementAndGet();
						}
						else {
							failures.add(answer.toString());
						}
					}
				});
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> succeeded.get() >= 20);

			AdminClient.Response started = admin.post("/admin/api/vault/rotate-key", "{}");
			// Both users' tokens enter the refresh window while the rotation runs: refreshes write new rows under
			// the new key while the rotation re-seals the old ones.
			fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
			List<JsonNode> progress = new ArrayList<>();
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).until(() -> {
				JsonNode rotation = admin.get("/admin/api/vault").json().get("rotation");
				progress.add(rotation);
				return "done".equals(rotation.get("status").asString());
			});
			int callsAtEnd = succeeded.get();
			await().atMost(Duration.ofSeconds(10)).until(() -> succeeded.get() >= callsAtEnd + 20);
			stop.set(true);
			load.shutdown();
			assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

			assertThat(started.status()).as(started.body()).isEqualTo(202);
			JsonNode first = started.json();
			assertThat(first.get("keyId").asInt()).isEqualTo(before + 1);
			assertThat(first.get("rowsTotal").asLong()).isGreaterThanOrEqualTo(SYNTHETIC + 2 + 1);
			JsonNode last = progress.get(progress.size() - 1);
			assertThat(last.get("rowsRemaining").asLong()).isZero();
			assertThat(last.get("rowsDone").asLong()).isGreaterThanOrEqualTo(SYNTHETIC);
			assertThat(last.has("finishedAt")).isTrue();
			assertThat(failures).as("no tool call failed during the rotation").isEmpty();
			assertThat(succeeded.get()).isGreaterThan(40);
			int after = gateway.bean(Vault.class).activeKeyId();
			assertThat(after).isEqualTo(before + 1);
			JdbcClient jdbc = gateway.bean(JdbcClient.class);
			assertThat(jdbc.sql("select count(*) from upstream_grant where key_id <> ? and (access_token is not null "
					+ "or refresh_token is not null)").param(after).query(Long.class).single()).isZero();
			assertThat(jdbc.sql("select count(*) from vault_secret where key_id <> ?").param(after)
				.query(Long.class).single()).isZero();
			assertThat(jdbc.sql("select count(*) from upstream_grant where status = 'active'").query(Long.class)
				.single()).as("no grant lost").isEqualTo(SYNTHETIC + 2);
			assertSyntheticGrantsOpen(gateway, SYNTHETIC);
			assertThat(gateway.bean(VaultSecrets.class).get("test|rotation", "api_key").orElseThrow().reveal())
				.isEqualTo("vault-secret-value");
			assertThat(fixture.idp().refreshTokenReuses()).isZero();
			assertThat(fixture.idp().tokenRequestCount("refresh_token")).as("alice's and bob's grants refreshed")
				.isEqualTo(2);
			assertThat(audit.awaitType("vault_key_rotation_started")).hasSize(1);
			assertThat(audit.awaitType("vault_key_rotation_finished")).hasSize(1);
		}
	}

	@Test
	void aMasterKeyChangeReWrapsTheDataKeysAndAWrongMasterKeyChangesNothing() throws Exception {
		String database = Postgres.newDatabase();
		Path oldKey = TestGateway.writeMasterKey(dir.resolve("old"));
		Path newKey = TestGateway.writeMasterKey(dir.resolve("new"));
		Path wrongKey = TestGateway.writeMasterKey(dir.resolve("wrong"));
		try (TestGateway gateway = gateway(database, oldKey, null)) {
			seed(gateway, 50);
			gateway.bean(VaultSecrets.class).put("test|master", "api_key", Secret.of("held-across-master-keys"), null);
		}
		Map<Integer, byte[]> wrappedByOld = wrappedDataKeys(database);

		try (TestGateway gateway = gateway(database, newKey, oldKey)) {
			assertSyntheticGrantsOpen(gateway, 50);
		}
		Map<Integer, byte[]> wrappedByNew = wrappedDataKeys(database);
		assertThat(wrappedByNew.keySet()).isEqualTo(wrappedByOld.keySet());
		wrappedByNew.forEach((id, wrapped) -> assertThat(wrapped).as("data key %d re-wrapped", id)
			.isNotEqualTo(wrappedByOld.get(id)));

		try (TestGateway gateway = gateway(database, newKey, null)) {
			assertSyntheticGrantsOpen(gateway, 50);
			assertThat(gateway.bean(VaultSecrets.class).get("test|master", "api_key").orElseThrow().reveal())
				.isEqualTo("held-across-master-keys");
		}

		for (Path key : List.of(oldKey, wrongKey)) {
			assertThatThrownBy(() -> gateway(database, key, null).close())
				.rootCause()
				.hasMessageContaining("cannot be opened with the configured master key")
				.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(Files.readString(key).trim())
					.doesNotContain(Files.readString(newKey).trim()));
			Map<Integer, byte[]> unchanged = wrappedDataKeys(database);
			unchanged.forEach((id, wrapped) -> assertThat(wrapped).as("data key %d untouched", id)
				.isEqualTo(wrappedByNew.get(id)));
		}
		try (TestGateway gateway = gateway(database, newKey, null)) {
			assertSyntheticGrantsOpen(gateway, 50);
		}
	}

	private TestGateway gateway(String database, Path masterKey, Path previousMasterKey) {
		TestGateway.Builder builder = TestGateway.builder()
			.postgres(database)
			.dataDir(dir.resolve("data"))
			.property("gatehouse.vault.master-key-file", masterKey.toString());
		if (previousMasterKey != null) {
			builder.property("gatehouse.vault.previous-master-key-file", previousMasterKey.toString());
		}
		return builder.start();
	}

	/** Stores {@code count} grants of made-up users with known token values. */
	private static void seed(TestGateway gateway, int count) {
		GrantStore store = gateway.bean(GrantStore.class);
		TransactionTemplate transactions = gateway.bean(TransactionTemplate.class);
		Instant now = gateway.bean(java.time.Clock.class).instant();
		for (int i = 0; i < count; i++) {
			int n = i;
			TokenSet tokens = new TokenSet(Secret.of("access-" + n), "Bearer", now.plus(Duration.ofHours(8)), false,
					Secret.of("refresh-" + n), List.of("data:read"), now);
			transactions.executeWithoutResult((tx) -> store.saveConsented(OAuthFixture.TARGET, SYNTHETIC_ISSUER,
					"user-" + n, SYNTHETIC_ISSUER, "synthetic-client", tokens));
		}
	}

	private static void assertSyntheticGrantsOpen(TestGateway gateway, int count) {
		GrantStore store = gateway.bean(GrantStore.class);
		for (int i = 0; i < count; i++) {
			GrantStore.Row row = store.find(OAuthFixture.TARGET, SYNTHETIC_ISSUER, "user-" + i).orElseThrow();
			assertThat(store.openAccessToken(row).reveal()).isEqualTo("access-" + i);
			assertThat(store.openRefreshToken(row).reveal()).isEqualTo("refresh-" + i);
		}
	}

	private static Map<Integer, byte[]> wrappedDataKeys(String database) throws SQLException {
		Map<Integer, byte[]> keys = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(database);
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select id, wrapped from vault_key order by id")) {
			while (rs.next()) {
				keys.put(rs.getInt(1), rs.getBytes(2));
			}
		}
		assertThat(keys).isNotEmpty();
		return keys;
	}
}
