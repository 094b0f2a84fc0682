package dev.gatehouse.server.monitor.alerts;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OAuth rules on real refreshes: the gateway, the demo IdP (Spring Authorization Server) and the OAuth-protected
 * risk target share a stepped clock. Refreshes that fail at a token endpoint that is down fire
 * {@code token-failures} (delivered to a Slack webhook); a successful refresh within business hours is silent, one on
 * a day without business hours fires {@code off-hours}. Business hours are today, in a zone chosen so that it is
 * about noon there, so that stepping minutes never crosses a day boundary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OAuthAlertsTests {

	static OAuthFixture fixture;

	static WebhookReceiver chat;

	static McpTestClient alice;

	/** carol's token (admin), for the admin API. */
	static String admin;

	@BeforeAll
	static void start() {
		ZonedDateTime utc = ZonedDateTime.now(Clock.systemUTC());
		ZoneOffset zone = ZoneOffset.ofHours(12 - utc.getHour());
		String today = utc.withZoneSameInstant(zone).getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
		chat = WebhookReceiver.start();
		fixture = OAuthFixture.builder()
			.refreshTokenTtl(Duration.ofDays(3))
			.gateway((g) -> g.property("gatehouse.alerts.rules.token-failures.threshold", 2)
				.property("gatehouse.alerts.rules.off-hours.enabled", true)
				.property("gatehouse.alerts.rules.off-hours.events", "grant_refreshed")
				.property("gatehouse.alerts.rules.off-hours.time-zone", zone.getId())
				.property("gatehouse.alerts.rules.off-hours.business-hours", today + " 00:00-24:00")
				.property("gatehouse.alerts.webhooks[0].name", "chat")
				.property("gatehouse.alerts.webhooks[0].url", chat.url())
				.property("gatehouse.alerts.webhooks[0].format", "slack")
				.property("gatehouse.alerts.webhooks[0].min-severity", "high"))
			.start();
		fixture.connectFirst("alice");
		alice = fixture.agent("alice");
		admin = fixture.token("carol");
	}

	@AfterAll
	static void stop() {
		fixture.close();
		chat.close();
	}

	@Test
	@Order(1)
	void refreshesFailingAtATokenEndpointThatIsDownFireTokenFailures() {
		fixture.clock().advance(Duration.ofMinutes(4).plusSeconds(30));
		fixture.idp().tokenEndpointOutage(true);
		try {
			alice.result("tools/call", OAuthFixture.RATING);
			settle();
			assertThat(alerts("token-failures")).as("one failure, threshold two").isEmpty();
			fixture.clock().advance(Duration.ofMinutes(1));
			JsonNode error = alice.request("tools/call", OAuthFixture.RATING).response().get("error");
			assertThat(error.get("data").get("reason").asString()).isEqualTo("authorization_unavailable");
		}
		finally {
			fixture.idp().tokenEndpointOutage(false);
		}
		JsonNode alert = await().atMost(Duration.ofSeconds(30)).until(() -> alerts("token-failures"),
				(l) -> !l.isEmpty()).get(0);
		assertThat(alert.get("scope").asString()).endsWith("|alice");
		assertThat(alert.get("details").get("type").asString()).isEqualTo("grant_refresh_failed");
		assertThat(alert.get("details").get("target").asString()).isEqualTo(OAuthFixture.TARGET);
		assertThat(alert.toString()).doesNotContain(OAuthFixture.CLIENT_SECRET);
		JsonNode slack = await().atMost(Duration.ofSeconds(20))
			.until(() -> chat.received().stream().filter((b) -> b.get("text").asString().contains("token-failures"))
				.findFirst(), java.util.Optional::isPresent)
			.get();
		assertThat(slack.get("text").asString()).contains("[HIGH]").contains("alice");
	}

	@Test
	@Order(2)
	void aRefreshWithinBusinessHoursIsSilentAndOneOnADayWithoutThemFiresOffHours() {
		fixture.clock().advance(Duration.ofMinutes(6));
		long refreshes = fixture.idp().tokenRequestCount("refresh_token");
		alice.result("tools/call", OAuthFixture.RATING);
		assertThat(fixture.idp().tokenRequestCount("refresh_token")).isGreaterThan(refreshes);
		settle();
		assertThat(alerts("off-hours")).isEmpty();

		fixture.clock().advance(Duration.ofDays(1));
		alice = fixture.agent("alice");
		admin = fixture.token("carol");
		alice.result("tools/call", OAuthFixture.RATING);
		JsonNode alert = await().atMost(Duration.ofSeconds(30)).until(() -> alerts("off-hours"), (l) -> !l.isEmpty())
			.get(0);
		assertThat(alert.get("title").asString()).startsWith("grant_refreshed for alice outside business hours");
		assertThat(alert.get("details").get("grant").asString()).isNotEmpty();
	}

	static void settle() {
		String id = UUID.randomUUID().toString();
		fixture.gateway().bean(AuditTrail.class).event("alerts_test_barrier", Map.of("barrier", id));
		AlertEngine engine = fixture.gateway().bean(AlertEngine.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastEvaluated() != null
				&& id.equals(engine.lastEvaluated().text("barrier")));
	}

	static List<JsonNode> alerts(String rule) {
		java.net.http.HttpResponse<String> response;
		try {
			response = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.gateway().baseUrl()
						+ "/admin/api/alerts?rule=" + rule)).header("Authorization", "Bearer " + admin).build(),
						java.net.http.HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<JsonNode> list = new java.util.ArrayList<>();
		McpTestClient.JSON.readTree(response.body()).get("alerts").forEach(list::add);
		return list;
	}
}
