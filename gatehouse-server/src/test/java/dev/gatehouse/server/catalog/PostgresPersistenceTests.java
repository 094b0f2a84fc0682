package dev.gatehouse.server.catalog;

import java.time.Duration;

import dev.gatehouse.server.testing.AdminClient;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same migrations and SQL on a real PostgreSQL server: targets, synchronisation status, drift records,
 * session state, and state that survives a restart.
 */
class PostgresPersistenceTests {

	static String jdbc;

	static TestUpstream upstream;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		jdbc = Postgres.newDatabase();
		upstream = TestUpstream.start();
		gateway = TestGateway.builder().postgres(jdbc).start();
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void registryCatalogDriftAndSessionsWorkOnPostgres() {
		AdminClient admin = gateway.admin();
		JsonNode status = admin.register("{\"name\":\"pg\",\"endpoint\":\"" + upstream.url() + "\"}");
		assertThat(status.get("sync").get("status").asString()).isEqualTo("ok");
		assertThat(status.get("sync").has("syncedAt")).isTrue();
		upstream.putTool("shifty", "first");
		await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/admin/api/catalog/tools").body().contains("pg___shifty"));
		upstream.putTool("shifty", "second");
		await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/admin/api/catalog/drift?target=pg").body()
			.contains("\"changed\""));
		McpTestClient client = gateway.client();
		client.initialize();
		assertThat(client.result("logging/setLevel", "{\"level\":\"warning\"}").size()).isZero();
		assertThat(client.result("tools/call", "{\"name\":\"pg___count\",\"arguments\":{}}")).isNotNull();
		assertThat(client.delete().status()).isEqualTo(200);
		assertThat(client.request("ping", null).status()).isEqualTo(404);
		assertThat(admin.delete("/admin/api/targets/pg").status()).isEqualTo(204);
		assertThat(admin.get("/admin/api/catalog/tools").body()).doesNotContain("pg___");
		upstream.removeTool("shifty");
	}

	@Test
	void targetsAndEndedSessionsSurviveARestart() {
		AdminClient admin = gateway.admin();
		admin.register("{\"name\":\"durable\",\"endpoint\":\"" + upstream.url() + "\"}");
		McpTestClient client = gateway.client();
		client.initialize();
		McpTestClient ended = gateway.client();
		ended.initialize();
		ended.delete();
		gateway.close();
		gateway = TestGateway.builder().postgres(jdbc).dataDir(gateway.dataDir()).start();
		assertThat(gateway.admin().get("/admin/api/targets/durable").status()).isEqualTo(200);
		McpTestClient again = new McpTestClient(gateway.mcpUrl()).session(client.sessionId(), "2025-11-25");
		assertThat(again.request("ping", null).status()).isEqualTo(200);
		McpTestClient stillEnded = new McpTestClient(gateway.mcpUrl()).session(ended.sessionId(), "2025-11-25");
		assertThat(stillEnded.request("ping", null).status()).isEqualTo(404);
		gateway.admin().delete("/admin/api/targets/durable");
	}
}
