package dev.gatehouse.server.monitor.alerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.gatehouse.core.audit.ToolCallRecord;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Postgres;
import dev.gatehouse.server.testing.SteppedClock;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway instances on one real PostgreSQL database: an alert fired by both for the same rule and scope is one
 * row, counted by both, and delivered once; a threshold counts the records of both instances in one window; a
 * user's baseline learnt by one instance holds on the other and after a restart.
 */
class AlertsClusterTests {

	static final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-25T09:00:00Z"));

	static WebhookReceiver receiver;

	static String jdbc;

	static Path key;

	static TestGateway a;

	static TestGateway b;

	@BeforeAll
	static void start() throws Exception {
		receiver = WebhookReceiver.start();
		jdbc = Postgres.newDatabase();
		key = TestGateway.writeMasterKey(Files.createTempDirectory("gatehouse-alerts-key"));
		a = gateway();
		b = gateway();
	}

	static TestGateway gateway() throws Exception {
		return TestGateway.builder()
			.clock(clock)
			.postgres(jdbc)
			.dataDir(Files.createTempDirectory("gatehouse-alerts-cluster"))
			.property("gatehouse.vault.master-key-file", key)
			.property("gatehouse.alerts.rules.policy-denials.threshold", 3)
			.property("gatehouse.alerts.baseline.warm-up", "2d")
			.property("gatehouse.alerts.webhooks[0].name", "siem")
			.property("gatehouse.alerts.webhooks[0].url", receiver.url())
			.start();
	}

	@AfterAll
	static void stop() {
		a.close();
		b.close();
		receiver.close();
	}

	@Test
	void anAlertFiredByBothInstancesAtOnceIsOneRowCountedByBothAndDeliveredOnce() {
		String target = "t-" + UUID.randomUUID().toString().substring(0, 8);
		CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> drift(a, target, 10));
		CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> drift(b, target, 10));
		onA.join();
		onB.join();
		settle(a);
		settle(b);
		List<JsonNode> alerts = alerts(a, "catalog-drift", "target:" + target);
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).get("count").asInt()).isEqualTo(20);
		assertThat(alerts(b, "catalog-drift", "target:" + target)).hasSize(1);
		long id = alerts.get(0).get("id").asLong();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> a.admin().get("/admin/api/alerts/" + id).json().get("deliveries"),
					(d) -> d.size() == 1 && "delivered".equals(d.get(0).get("status").asString()));
		assertThat(receiver.received().stream().filter((r) -> r.get("id").asLong() == id)).as("delivered once")
			.hasSize(1);
		JsonNode raised = await().atMost(Duration.ofSeconds(30))
			.until(() -> (a.bean(AuditTrail.class).queueDepth() + b.bean(AuditTrail.class).queueDepth() == 0)
					? a.admin().get("/admin/api/audit?type=alert_raised&target=" + target).json().get("records")
					: McpTestClient.JSON.createArrayNode(), (r) -> !r.isEmpty());
		assertThat(raised).as("one alert_raised record, by the instance that stored the alert").hasSize(1);
		assertThat(raised.get(0).get("alert_id").asLong()).isEqualTo(id);
	}

	@Test
	void aThresholdCountsTheRecordsOfBothInstancesInOneWindow() {
		String user = "mallory-" + UUID.randomUUID().toString().substring(0, 8);
		a.bean(AuditTrail.class).record(denied(user));
		b.bean(AuditTrail.class).record(denied(user));
		settle(a);
		settle(b);
		assertThat(alerts(a, "policy-denials", "user:https://idp.example|" + user)).isEmpty();
		a.bean(AuditTrail.class).record(denied(user));
		settle(a);
		List<JsonNode> alerts = alerts(b, "policy-denials", "user:https://idp.example|" + user);
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).get("details").get("events_in_window").asInt()).isEqualTo(3);
	}

	@Test
	void aBaselineLearntOnOneInstanceHoldsOnTheOtherAndAfterARestart() throws Exception {
		String user = "nina-" + UUID.randomUUID().toString().substring(0, 8);
		String scope = "user:https://idp.example|" + user;
		a.bean(AuditTrail.class).record(call(user, "up___echo"));
		settle(a);
		clock.advance(Duration.ofDays(3));
		b.bean(AuditTrail.class).record(call(user, "up___echo"));
		settle(b);
		assertThat(alerts(b, "new-tool", scope)).isEmpty();
		b.close();
		b = gateway();
		b.bean(AuditTrail.class).record(call(user, "up___echo"));
		settle(b);
		assertThat(alerts(b, "new-tool", scope)).as("known after a restart").isEmpty();
		b.bean(AuditTrail.class).record(call(user, "up___count"));
		settle(b);
		List<JsonNode> alerts = alerts(a, "new-tool", scope);
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).get("title").asString()).contains("up___count");
	}

	static void drift(TestGateway gateway, String target, int times) {
		for (int i = 0; i < times; i++) {
			gateway.bean(AuditTrail.class).event("catalog_drift", Map.of("target", target, "kind", "tool", "name",
					"lookup", "change", "changed"));
		}
	}

	static ToolCallRecord denied(String subject) {
		return record(subject, "up___fail", ToolCallRecord.Outcome.DENIED);
	}

	static ToolCallRecord call(String subject, String tool) {
		return record(subject, tool, ToolCallRecord.Outcome.SUCCESS);
	}

	static ToolCallRecord record(String subject, String tool, ToolCallRecord.Outcome outcome) {
		return new ToolCallRecord(clock.instant(), "https://idp.example", subject, "cli", null, tool, "up",
				tool.substring(5), null, outcome, 0, Duration.ofMillis(1), Duration.ZERO, "0".repeat(64), null, null);
	}

	static void settle(TestGateway gateway) {
		String id = UUID.randomUUID().toString();
		gateway.bean(AuditTrail.class).event("alerts_test_barrier", Map.of("barrier", id));
		AlertEngine engine = gateway.bean(AlertEngine.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastEvaluated() != null
				&& id.equals(engine.lastEvaluated().text("barrier")));
	}

	static List<JsonNode> alerts(TestGateway gateway, String rule, String scope) {
		List<JsonNode> list = new ArrayList<>();
		gateway.admin().get("/admin/api/alerts?size=500&rule=" + rule).json().get("alerts").forEach((x) -> {
			if (x.get("scope").asString().equals(scope)) {
				list.add(x);
			}
		});
		return list;
	}
}
