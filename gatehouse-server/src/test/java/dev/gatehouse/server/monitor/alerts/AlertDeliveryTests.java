package dev.gatehouse.server.monitor.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery that does not succeed: a webhook that always answers 500 and one whose receiver is down. Each is tried
 * {@code max-attempts} times, then recorded as {@code failed} with the latest error; the webhook URLs (whose paths
 * hold a secret, as Slack's do) appear in no answer of the admin API, no audit record, no table and no log line.
 */
class AlertDeliveryTests {

	static final String SECRET = "T0SECRET/B0SECRET/xoxb";

	static WebhookReceiver failing;

	static int closedPort;

	static TestGateway gateway;

	static final List<String> logged = new CopyOnWriteArrayList<>();

	static final AppenderBase<ILoggingEvent> logs = new AppenderBase<>() {
		@Override
		protected void append(ILoggingEvent event) {
			StringBuilder line = new StringBuilder(event.getFormattedMessage());
			for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
				line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
			}
			logged.add(line.toString());
		}
	};

	@BeforeAll
	static void start() throws IOException {
		failing = WebhookReceiver.start();
		failing.failNext(1000);
		HttpServer gone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		closedPort = gone.getAddress().getPort();
		gone.stop(0);
		gateway = TestGateway.builder()
			.property("gatehouse.alerts.delivery.max-attempts", 3)
			.property("gatehouse.alerts.delivery.initial-backoff", "20ms")
			.property("gatehouse.alerts.delivery.max-backoff", "40ms")
			.property("gatehouse.alerts.delivery.timeout", "2s")
			.property("gatehouse.alerts.webhooks[0].name", "always-500")
			.property("gatehouse.alerts.webhooks[0].url", failing.url() + "/" + SECRET)
			.property("gatehouse.alerts.webhooks[1].name", "down")
			.property("gatehouse.alerts.webhooks[1].url", "http://127.0.0.1:" + closedPort + "/" + SECRET)
			.property("gatehouse.alerts.webhooks[1].format", "slack")
			.start();
		// after the start: Spring Boot's logging system resets Logback while starting
		logs.start();
		root().addAppender(logs);
	}

	@AfterAll
	static void stop() {
		gateway.close();
		failing.close();
		root().detachAppender(logs);
	}

	static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Test
	void aWebhookThatKeepsFailingIsTriedMaxAttemptsTimesThenRecordedAsFailedWithoutItsUrl() {
		String target = "t-" + UUID.randomUUID().toString().substring(0, 8);
		gateway.bean(AuditTrail.class).event("catalog_drift", Map.of("target", target, "kind", "tool", "name",
				"lookup", "change", "changed"));
		long id = await().atMost(Duration.ofSeconds(30))
			.until(() -> gateway.admin().get("/admin/api/alerts?rule=catalog-drift").json().get("alerts"),
					(a) -> !a.isEmpty())
			.get(0)
			.get("id")
			.asLong();
		JsonNode deliveries = await().atMost(Duration.ofSeconds(30))
			.until(() -> gateway.admin().get("/admin/api/alerts/" + id).json().get("deliveries"),
					(d) -> d.size() == 2 && "failed".equals(d.get(0).get("status").asString())
							&& "failed".equals(d.get(1).get("status").asString()));
		JsonNode always500 = deliveries.get(0);
		assertThat(always500.get("sink").asString()).isEqualTo("always-500");
		assertThat(always500.get("attempts").asInt()).isEqualTo(3);
		assertThat(always500.get("lastError").asString()).isEqualTo("HTTP 500");
		assertThat(failing.refused()).as("three attempts, each the same alert").hasSize(3)
			.allSatisfy((body) -> assertThat(body).contains("\"id\":" + id));
		JsonNode down = deliveries.get(1);
		assertThat(down.get("sink").asString()).isEqualTo("down");
		assertThat(down.get("attempts").asInt()).isEqualTo(3);
		assertThat(down.get("lastError").asString()).as("the failure's kind, never its message with the URL")
			.doesNotContain("127.0.0.1").doesNotContain(SECRET).isNotBlank();

		String api = gateway.admin().get("/admin/api/alerts/" + id).body();
		assertThat(api).doesNotContain(SECRET).doesNotContain("/hook");
		await().atMost(Duration.ofSeconds(30)).until(() -> gateway.bean(AuditTrail.class).queueDepth() == 0);
		JdbcClient jdbc = gateway.bean(JdbcClient.class);
		assertThat(jdbc.sql("select count(*) from audit_record where record like ?").param("%T0SECRET%")
			.query(Long.class).single()).as("no audit record holds the URL").isZero();
		assertThat(jdbc.sql("select count(*) from alert_delivery where last_error like ? or sink like ?")
			.params("%T0SECRET%", "%T0SECRET%").query(Long.class).single()).isZero();
		assertThat(jdbc.sql("select count(*) from alert where details like ? or title like ?")
			.params("%T0SECRET%", "%T0SECRET%").query(Long.class).single()).isZero();
		assertThat(logged).as("the retries and the failure are logged by the webhook's name")
			.anySatisfy((line) -> assertThat(line).contains("webhook 'always-500'").contains("HTTP 500"))
			.anySatisfy((line) -> assertThat(line).contains("webhook 'down'"))
			.noneSatisfy((line) -> assertThat(line).contains("T0SECRET"));
	}
}
