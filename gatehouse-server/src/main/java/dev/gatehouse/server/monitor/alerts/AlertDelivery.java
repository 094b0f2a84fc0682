package dev.gatehouse.server.monitor.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.egress.EgressDeniedException;
import dev.gatehouse.server.egress.EgressPolicy;
import dev.gatehouse.server.egress.EgressRestClients;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

/**
 * Sends new alerts to the log (always, logger {@code gatehouse.alerts}) and to the configured webhooks, each
 * through the egress policy, on its own threads (never the request path nor the audit writer), retrying with
 * exponential backoff; each webhook's delivery state is recorded in {@code alert_delivery}. Only the instance
 * that inserted an alert delivers it. The webhook URL, which often embeds a secret, is never logged or stored.
 * Thread-safe.
 */
@org.springframework.stereotype.Component
final class AlertDelivery {

	private static final Logger alerts = LoggerFactory.getLogger("gatehouse.alerts");

	private static final Logger logger = LoggerFactory.getLogger(AlertDelivery.class);

	private final AlertStore store;

	private final AlertsProperties properties;

	private final EgressPolicy egress;

	private final RestTemplate http;

	private final String publicUrl;

	private final JsonMapper json = JsonMapper.builder().build();

	private final ScheduledExecutorService executor;

	AlertDelivery(AlertStore store, GatehouseProperties gateway, EgressPolicy egress) {
		this.store = store;
		this.properties = gateway.alerts();
		check(properties.webhooks(), egress);
		this.egress = egress;
		this.http = EgressRestClients.restTemplate(egress, properties.delivery().timeout());
		String base = gateway.publicUrl().toString();
		this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		AtomicInteger counter = new AtomicInteger();
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = new Thread(runnable, "gatehouse-alert-delivery-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		pool.setRemoveOnCancelPolicy(true);
		this.executor = pool;
	}

	/**
	 * Refuses webhooks that share a name, name a rule that does not exist (it would silently never match), or whose
	 * URL the egress policy refuses by its scheme (plain http only to loopback, with
	 * {@code gatehouse.upstream.allow-insecure-loopback}); the addresses a host resolves to are checked per attempt.
	 */
	private static void check(List<AlertsProperties.Webhook> webhooks, EgressPolicy egress) {
		Set<String> names = new HashSet<>();
		for (int i = 0; i < webhooks.size(); i++) {
			AlertsProperties.Webhook webhook = webhooks.get(i);
			if (!names.add(webhook.name())) {
				throw new IllegalStateException("gatehouse.alerts.webhooks[" + i + "].name: '" + webhook.name()
						+ "' is the name of another webhook");
			}
			try {
				egress.checkUrl(webhook.url());
			}
			catch (EgressDeniedException ex) {
				// the message names scheme and host only, never the path or query that may hold a secret
				throw new IllegalStateException("gatehouse.alerts.webhooks[" + i + "].url: " + ex.getMessage());
			}
			for (String rule : webhook.rules()) {
				if (!AlertRules.NAMES.contains(rule)) {
					throw new IllegalStateException("gatehouse.alerts.webhooks[" + i + "].rules: there is no rule '" + rule
							+ "' (rules: " + String.join(", ", AlertRules.NAMES) + ")");
				}
			}
		}
	}

	/** Logs a new alert and schedules its webhook deliveries; returns at once. */
	void deliver(Alert alert) {
		alerts.warn("Alert {} [{}] {}: {} (scope {}) {}", alert.id(), alert.severity().id(), alert.rule(), alert.title(),
				alert.scopeKey(), json.writeValueAsString(alert.details()));
		for (AlertsProperties.Webhook webhook : properties.webhooks()) {
			if (webhook.accepts(alert.rule(), alert.severity())) {
				store.delivery(alert.id(), webhook.name(), "pending", 0, null);
				executor.execute(() -> attempt(alert, webhook, 1));
			}
		}
	}

	private void attempt(Alert alert, AlertsProperties.Webhook webhook, int attempt) {
		String error = post(webhook, body(alert, webhook.format()));
		try {
			if (error == null) {
				store.delivery(alert.id(), webhook.name(), "delivered", attempt, null);
				return;
			}
			AlertsProperties.Delivery d = properties.delivery();
			if (attempt >= d.maxAttempts()) {
				logger.warn("Alert {} was not delivered to webhook '{}' after {} attempts: {}", alert.id(), webhook.name(),
						attempt, error);
				store.delivery(alert.id(), webhook.name(), "failed", attempt, error);
				return;
			}
			store.delivery(alert.id(), webhook.name(), "pending", attempt, error);
			long wait = backoff(d, attempt).toMillis();
			logger.info("Delivering alert {} to webhook '{}' failed ({}); attempt {} in {} ms", alert.id(),
					webhook.name(), error, attempt + 1, wait);
			executor.schedule(() -> attempt(alert, webhook, attempt + 1), wait, TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			logger.warn("Recording the delivery of alert {} to webhook '{}' failed: {}", alert.id(), webhook.name(),
					ex.toString());
		}
	}

	/** The wait before attempt {@code attempt + 1}: the initial backoff doubled per failure, at most the maximum. */
	static Duration backoff(AlertsProperties.Delivery d, int attempt) {
		Duration wait = d.initialBackoff();
		for (int i = 1; i < attempt && wait.compareTo(d.maxBackoff()) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(d.maxBackoff()) > 0) ? d.maxBackoff() : wait;
	}

	/** Posts the body; returns why it failed, or {@code null} on a 2xx answer. */
	private String post(AlertsProperties.Webhook webhook, String body) {
		try {
			URI url = webhook.url();
			egress.checkUrl(url);
			HttpHeaders headers = new HttpHeaders();
			headers.setContentType(MediaType.APPLICATION_JSON);
			headers.set("User-Agent", "Gatehouse-Alerts");
			http.exchange(url, HttpMethod.POST, new HttpEntity<>(body, headers), String.class);
			return null;
		}
		catch (EgressDeniedException ex) {
			return "refused by the egress policy: " + ex.getMessage();
		}
		catch (org.springframework.web.client.RestClientResponseException ex) {
			return "HTTP " + ex.getStatusCode().value();
		}
		catch (RestClientException ex) {
			// the message may quote the URL (and a secret in it): name the failure only
			Throwable cause = (ex.getMostSpecificCause() != null) ? ex.getMostSpecificCause() : ex;
			return cause.getClass().getSimpleName();
		}
	}

	/** The webhook body: the alert as JSON, or a Slack incoming-webhook message. */
	String body(Alert alert, AlertsProperties.Format format) {
		return switch (format) {
			case JSON -> json.writeValueAsString(payload(alert));
			case SLACK -> json.writeValueAsString(Map.of("text", slackText(alert)));
		};
	}

	Map<String, Object> payload(Alert alert) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("id", alert.id());
		p.put("rule", alert.rule());
		p.put("severity", alert.severity().id());
		p.put("title", alert.title());
		p.put("scope", alert.scopeKey());
		p.put("status", alert.status().id());
		p.put("count", alert.count());
		p.put("firstSeen", alert.firstSeen().toString());
		p.put("lastSeen", alert.lastSeen().toString());
		p.put("details", alert.details());
		p.put("gateway", publicUrl);
		p.put("link", publicUrl + "/admin/api/alerts/" + alert.id());
		return p;
	}

	private String slackText(Alert alert) {
		return ":rotating_light: *[" + alert.severity().id().toUpperCase(java.util.Locale.ROOT) + "] " + escape(
				alert.title()) + "*\nRule `" + alert.rule() + "`, scope `" + escape(alert.scopeKey()) + "`, first seen "
				+ alert.firstSeen() + "\n<" + publicUrl + "/admin/api/alerts/" + alert.id() + "|Alert " + alert.id()
				+ "> on " + publicUrl;
	}

	/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	@PreDestroy
	void close() {
		executor.shutdownNow();
	}
}
