package dev.gatehouse.server.credentials;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.gatehouse.core.crypto.CryptoException;
import dev.gatehouse.core.oauth.RandomTokens;
import dev.gatehouse.demo.idp.DemoClient;
import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the vault leaves in PostgreSQL: read directly, every table and column, after real consents, refreshes and a
 * client secret set through the admin API, holds none of the tokens or secrets in clear text (nor in base64); and a
 * ciphertext moved to another owner's row, or to another column of the same row, does not open.
 */
class VaultStorageTests {

	static final String VAULTED = "risk-vaulted";

	/** Set through the admin API as a literal, so the vault holds it. */
	static final String VAULTED_SECRET = "vaulted-client-secret-" + RandomTokens.generate(16);

	static OAuthFixture fixture;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder()
			.upstreamTokenTtl(Duration.ofMinutes(5))
			.policy(ClientConfigurationTests.EVERYONE)
			.client((base) -> DemoClient.builder("gatehouse-vaulted")
				.secret(VAULTED_SECRET)
				.redirectUris(base + "/oauth/callback/" + VAULTED)
				.scopes("data:read")
				.accessTokenTtl(Duration.ofMinutes(5))
				.build())
			.gateway((b) -> b.postgres(Postgres.newDatabase()))
			.start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@Test
	void theDatabaseHoldsNoTokenRefreshTokenOrClientSecretInClearText() throws SQLException {
		AdminClient admin = fixture.gateway().admin().withBearer(fixture.token("carol"));
		AdminClient.Response created = admin.post("/admin/api/targets", "{\"name\":\"" + VAULTED + "\",\"endpoint\":\""
				+ fixture.risk().url() + "\",\"auth\":{\"type\":\"oauth2\",\"authorizationUrl\":\"" + fixture.idp().issuer()
				+ "/oauth2/authorize\",\"tokenUrl\":\"" + fixture.idp().issuer() + "/oauth2/token\",\"scopes\":"
				+ "[\"data:read\"],\"clientId\":\"gatehouse-vaulted\",\"clientSecret\":\"" + VAULTED_SECRET + "\"}}");
		assertThat(created.status()).as(created.body()).isEqualTo(201);
		ensureConnected("alice");
		ensureConnected("bob");
		McpTestClient alice = fixture.agent("alice");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> alice.result("tools/list", "{}").toString().contains(VAULTED + "___connect"));
		String link = OAuthFixture.link(alice.result("tools/call", "{\"name\":\"" + VAULTED + "___connect\",\"arguments\":{}}"));
		assertThat(fixture.connect("alice", link).body()).contains("data-outcome=\"connected\"");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> alice.result("tools/list", "{}").toString().contains(VAULTED + "___get_credit_rating"));
		List<String> secrets = new ArrayList<>(List.of(VAULTED_SECRET, OAuthFixture.CLIENT_SECRET));
		secrets.addAll(tokensInTheVault());
		// A refresh: new tokens (the refresh token rotates), and the old ones must not linger in clear text either.
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		assertThat(alice.result("tools/call", OAuthFixture.RATING).path("isError").asBoolean(false)).isFalse();
		assertThat(alice.result("tools/call", OAuthFixture.RATING.replace(OAuthFixture.TARGET, VAULTED))
			.path("isError")
			.asBoolean(false)).isFalse();
		secrets.addAll(tokensInTheVault());
		assertThat(secrets).as("access and refresh tokens of three grants, twice, and two client secrets")
			.hasSizeGreaterThanOrEqualTo(2 + 3 * 2 + 2 * 2);
		List<String> accessTokens = fixture.risk().observedTokens().stream().map((t) -> t.tokenSha256()).toList();
		assertThat(secrets.stream().map(RandomTokens::sha256Hex).filter(accessTokens::contains).count())
			.as("the values opened from the vault are the tokens the target really received")
			.isGreaterThanOrEqualTo(3);

		Map<String, Integer> scanned = scanEveryColumn(secrets);

		assertThat(scanned).as("tables scanned, with their row counts")
			.containsKeys("upstream_grant", "vault_secret", "vault_key", "oauth_transaction", "consent_request");
		assertThat(scanned.get("upstream_grant")).isGreaterThanOrEqualTo(3);
		assertThat(jdbc().sql("select count(*) from vault_secret where owner = ? and kind = 'client_secret'")
			.param("target|" + VAULTED)
			.query(Long.class)
			.single()).as("the literal client secret went to the vault").isEqualTo(1);
	}

	@Test
	void aCiphertextMovedToAnotherUsersRowDoesNotOpenAndThatUserIsAskedToConnectAgain() {
		ensureConnected("alice");
		ensureConnected("bob");
		GrantStore store = fixture.gateway().bean(GrantStore.class);
		String issuer = fixture.idp().issuer();
		int moved = jdbc().sql("update upstream_grant set access_token = (select access_token from upstream_grant "
				+ "where owner_subject = 'alice' and target = :t), refresh_token = (select refresh_token from "
				+ "upstream_grant where owner_subject = 'alice' and target = :t), key_id = (select key_id from "
				+ "upstream_grant where owner_subject = 'alice' and target = :t) where owner_subject = 'bob' and "
				+ "target = :t")
			.param("t", OAuthFixture.TARGET)
			.update();
		assertThat(moved).isEqualTo(1);
		fixture.gateway().bean(UpstreamTokens.class).evict(OAuthFixture.TARGET, issuer, "bob");
		GrantStore.Row bobs = store.find(OAuthFixture.TARGET, issuer, "bob").orElseThrow();

		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> store.openAccessToken(bobs));
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> store.openRefreshToken(bobs));
		long acceptedBefore = acceptedCalls();
		audit.clear();
		JsonNode answer = fixture.agent("bob").result("tools/call", OAuthFixture.RATING);

		assertThat(answer.toString()).as("bob is asked to connect again").contains("/connect/" + OAuthFixture.TARGET);
		assertThat(acceptedCalls()).as("nothing reached the target with alice's token").isEqualTo(acceptedBefore);
		GrantStore.Row after = store.find(OAuthFixture.TARGET, issuer, "bob").orElseThrow();
		assertThat(after.grant().status()).isEqualTo(Grant.RECONSENT_REQUIRED);
		assertThat(after.accessToken()).as("the moved ciphertext is dropped").isNull();
		assertThat(after.refreshToken()).isNull();
		JsonNode record = audit.awaitType("grant_tokens_unreadable").get(0);
		assertThat(record.path("subject").asString()).isEqualTo("bob");
		assertThat(fixture.agent("alice").result("tools/call", OAuthFixture.RATING).path("isError").asBoolean(false))
			.as("alice's own row still opens").isFalse();
		assertThat(fixture.lastSubjectSeen()).isEqualTo("alice");
	}

	@Test
	void aCiphertextMovedToAnotherColumnOfTheSameRowDoesNotOpen() {
		ensureConnected("alice");
		GrantStore store = fixture.gateway().bean(GrantStore.class);
		String issuer = fixture.idp().issuer();
		GrantStore.Row row = store.find(OAuthFixture.TARGET, issuer, "alice").orElseThrow();
		GrantStore.Row swapped = new GrantStore.Row(row.grant(), row.refreshToken(), row.accessToken(),
				row.retryRefreshAfter(), row.expiryAssumed());

		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> store.openAccessToken(swapped));
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> store.openRefreshToken(swapped));
		assertThat(store.openAccessToken(row).reveal()).as("in its own column it opens").isNotEmpty();
	}

	private static void ensureConnected(String user) {
		boolean active = fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, user).stream()
			.anyMatch(Grant::active);
		if (!active) {
			fixture.connectFirst(user);
		}
	}

	/** The clear-text access and refresh tokens of every grant, opened through the gateway's own vault. */
	private static List<String> tokensInTheVault() {
		GrantStore store = fixture.gateway().bean(GrantStore.class);
		List<String> values = new ArrayList<>();
		for (Grant grant : store.list(null, null, null)) {
			GrantStore.Row row = store.findById(grant.id()).orElseThrow();
			if (row.accessToken() != null) {
				values.add(store.openAccessToken(row).reveal());
			}
			if (row.refreshToken() != null) {
				values.add(store.openRefreshToken(row).reveal());
			}
		}
		return values;
	}

	/**
	 * Reads every row of every table of the schema, every column as text or bytes, and fails if a value contains any
	 * of {@code secrets} (as UTF-8 or base64) or, for a JWT, its signature.
	 */
	private static Map<String, Integer> scanEveryColumn(List<String> secrets) throws SQLException {
		List<byte[]> needles = new ArrayList<>();
		for (String secret : secrets) {
			needles.add(secret.getBytes(StandardCharsets.UTF_8));
			needles.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8));
			String[] parts = secret.split("\\.");
			if (parts.length == 3) {
				needles.add(parts[2].getBytes(StandardCharsets.UTF_8));
			}
		}
		Map<String, Integer> rows = new LinkedHashMap<>();
		DataSource dataSource = fixture.gateway().bean(DataSource.class);
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			List<String> tables = new ArrayList<>();
			try (ResultSet rs = statement.executeQuery("select table_name from information_schema.tables where "
					+ "table_schema = current_schema() and table_type = 'BASE TABLE'")) {
				while (rs.next()) {
					tables.add(rs.getString(1));
				}
			}
			for (String table : tables) {
				int count = 0;
				try (ResultSet rs = statement.executeQuery("select * from \"" + table + "\"")) {
					int columns = rs.getMetaData().getColumnCount();
					while (rs.next()) {
						count++;
						for (int c = 1; c <= columns; c++) {
							Object value = rs.getObject(c);
							byte[] bytes = (value instanceof byte[] b) ? b
									: String.valueOf(value).getBytes(StandardCharsets.UTF_8);
							for (byte[] needle : needles) {
								assertThat(indexOf(bytes, needle)).as("a secret in clear text in %s.%s", table,
										rs.getMetaData().getColumnName(c)).isEqualTo(-1);
							}
						}
					}
				}
				rows.put(table, count);
			}
		}
		return rows;
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static long acceptedCalls() {
		return fixture.risk().observedTokens().stream()
			.filter((t) -> t.rejection() == null && "tools/call".equals(t.method()))
			.count();
	}

	private static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}
}
