package dev.gatehouse.server.monitor.alerts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code gatehouse.alerts.*} bound as the application binds it: the documented defaults, business hours per day
 * of the week in a zone with daylight saving time, the retry backoff, and webhooks refused at start-up.
 */
class AlertsConfigurationTests {

	@Test
	void defaultsAreTheDocumentedOnes() {
		AlertsProperties alerts = TestProperties.bind(Map.of()).alerts();
		assertThat(alerts.enabled()).isTrue();
		AlertsProperties.Rules rules = alerts.rules();
		assertThat(rules.tokenFailures().threshold()).isEqualTo(3);
		assertThat(rules.tokenFailures().window()).isEqualTo(Duration.ofMinutes(15));
		assertThat(rules.tokenFailures().scope()).isEqualTo(AlertsProperties.Scope.USER);
		assertThat(rules.tokenFailures().severity()).isEqualTo(Severity.HIGH);
		assertThat(rules.tokenFailures().events()).containsExactly("consent_failed:exchange_failed",
				"grant_refresh_failed", "grant_reconsent_required");
		assertThat(rules.offHours().enabled()).isFalse();
		assertThat(rules.offHours().businessHours()).containsExactly("Mon-Fri 08:00-18:00");
		assertThat(rules.offHours().timeZone()).isEqualTo(ZoneId.of("UTC"));
		assertThat(rules.policyDenials().threshold()).isEqualTo(5);
		assertThat(rules.auditChain().severity()).isEqualTo(Severity.CRITICAL);
		assertThat(rules.auditChain().scope()).isEqualTo(AlertsProperties.Scope.GLOBAL);
		assertThat(rules.catalogDrift().scope()).isEqualTo(AlertsProperties.Scope.TARGET);
		assertThat(rules.catalogDrift().changes()).containsExactly("changed");
		assertThat(rules.newTool().severity()).isEqualTo(Severity.LOW);
		assertThat(rules.callRate().factor()).isEqualTo(5);
		assertThat(alerts.baseline().period()).isEqualTo(Duration.ofDays(30));
		assertThat(alerts.baseline().warmUp()).isEqualTo(Duration.ofDays(7));
		assertThat(alerts.webhooks()).isEmpty();
	}

	@Test
	void webhooksBindWithTheirFormatAndFilters() {
		GatehouseProperties p = TestProperties.bind(Map.of("alerts.webhooks[0].name", "chat", "alerts.webhooks[0].url",
				"https://hooks.example.com/T0/B0/x", "alerts.webhooks[0].format", "slack",
				"alerts.webhooks[0].min-severity", "high", "alerts.webhooks[0].rules", "audit-chain,catalog-drift"));
		AlertsProperties.Webhook chat = p.alerts().webhooks().get(0);
		assertThat(chat.format()).isEqualTo(AlertsProperties.Format.SLACK);
		assertThat(chat.accepts("audit-chain", Severity.CRITICAL)).isTrue();
		assertThat(chat.accepts("catalog-drift", Severity.MEDIUM)).as("below the minimum").isFalse();
		assertThat(chat.accepts("token-failures", Severity.HIGH)).as("another rule").isFalse();
	}

	@Test
	void businessHoursFollowTheDayOfWeekAndTheZoneWithDaylightSavingTime() {
		BusinessHours hours = new BusinessHours(ZoneId.of("Europe/Berlin"),
				List.of("Mon-Fri 08:00-12:00", "mon-fri 13:00-18:00", "Sat 09:00-13:00", "Sun-Mon 23:00-24:00"));
		assertThat(hours.contains(Instant.parse("2026-11-25T07:00:00Z"))).as("Wed 08:00 CET").isTrue();
		assertThat(hours.contains(Instant.parse("2026-11-25T06:59:00Z"))).as("Wed 07:59 CET").isFalse();
		assertThat(hours.contains(Instant.parse("2026-11-25T11:30:00Z"))).as("Wed 12:30 CET, lunch").isFalse();
		assertThat(hours.contains(Instant.parse("2026-11-25T16:59:00Z"))).as("Wed 17:59 CET").isTrue();
		assertThat(hours.contains(Instant.parse("2026-11-25T17:00:00Z"))).as("Wed 18:00 CET").isFalse();
		assertThat(hours.contains(Instant.parse("2026-07-01T06:30:00Z"))).as("Wed 08:30 CEST").isTrue();
		assertThat(hours.contains(Instant.parse("2026-07-01T16:30:00Z"))).as("Wed 18:30 CEST").isFalse();
		assertThat(hours.contains(Instant.parse("2026-11-28T09:00:00Z"))).as("Sat 10:00").isTrue();
		assertThat(hours.contains(Instant.parse("2026-11-28T13:00:00Z"))).as("Sat 14:00").isFalse();
		assertThat(hours.contains(Instant.parse("2026-11-29T22:30:00Z"))).as("Sun 23:30, a wrapping range").isTrue();
		assertThat(hours.contains(Instant.parse("2026-11-29T12:00:00Z"))).as("Sun 13:00").isFalse();
	}

	@Test
	void businessHoursThatDoNotParseOrEndBeforeTheyStartAreRefusedNamingTheKey() {
		assertThatIllegalArgumentException().isThrownBy(() -> new BusinessHours(ZoneId.of("UTC"), List.of("weekdays")))
			.withMessageContaining("gatehouse.alerts.rules.off-hours.business-hours")
			.withMessageContaining("'weekdays'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BusinessHours(ZoneId.of("UTC"), List.of("Mon 18:00-08:00")))
			.withMessageContaining("must end after it starts");
	}

	@Test
	void aGatewayDoesNotStartWithTwoWebhooksOfOneNameOrAWebhookForAnUnknownRule() {
		assertThatThrownBy(() -> TestGateway.builder()
			.property("gatehouse.alerts.webhooks[0].name", "siem")
			.property("gatehouse.alerts.webhooks[0].url", "https://siem.example.com/a")
			.property("gatehouse.alerts.webhooks[1].name", "siem")
			.property("gatehouse.alerts.webhooks[1].url", "https://siem.example.com/b")
			.start()).rootCause().hasMessageContaining("gatehouse.alerts.webhooks[1].name");
		assertThatThrownBy(() -> TestGateway.builder()
			.property("gatehouse.alerts.webhooks[0].name", "siem")
			.property("gatehouse.alerts.webhooks[0].url", "https://siem.example.com/a")
			.property("gatehouse.alerts.webhooks[0].rules", "catalog-drfit")
			.start()).rootCause().hasMessageContaining("there is no rule 'catalog-drfit'");
	}

	@Test
	void aGatewayDoesNotStartWithAWebhookTheEgressPolicyRefuses() {
		assertThatThrownBy(() -> TestGateway.builder()
			.property("gatehouse.alerts.webhooks[0].name", "siem")
			.property("gatehouse.alerts.webhooks[0].url", "http://siem.example.com/hook/s3cr3t")
			.start()).rootCause()
			.hasMessageContaining("gatehouse.alerts.webhooks[0].url")
			.hasMessageContaining("only https")
			.hasMessageNotContaining("s3cr3t");
		assertThatThrownBy(() -> TestGateway.builder()
			.property("gatehouse.upstream.allow-insecure-loopback", false)
			.property("gatehouse.alerts.webhooks[0].name", "chat")
			.property("gatehouse.alerts.webhooks[0].url", "http://127.0.0.1:9/hook")
			.start()).as("plain http to loopback only when allowed").rootCause()
			.hasMessageContaining("gatehouse.alerts.webhooks[0].url");
	}

	@Test
	void retriesBackOffExponentiallyUpToTheMaximum() {
		AlertsProperties.Delivery d = new AlertsProperties.Delivery(6, Duration.ofSeconds(2), Duration.ofSeconds(10),
				Duration.ofSeconds(10));
		assertThat(AlertDelivery.backoff(d, 1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(AlertDelivery.backoff(d, 2)).isEqualTo(Duration.ofSeconds(4));
		assertThat(AlertDelivery.backoff(d, 3)).isEqualTo(Duration.ofSeconds(8));
		assertThat(AlertDelivery.backoff(d, 4)).isEqualTo(Duration.ofSeconds(10));
		assertThat(AlertDelivery.backoff(d, 40)).isEqualTo(Duration.ofSeconds(10));
	}
}
