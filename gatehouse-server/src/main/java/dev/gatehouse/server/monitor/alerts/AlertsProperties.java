package dev.gatehouse.server.monitor.alerts;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.alerts.*}: the alert rules over the audit trail and where alerts are sent. {@code docs/alerts.md}
 * explains each rule; every rule can be turned off with {@code enabled: false}.
 *
 * @param enabled whether audit records are evaluated at all (default {@code true})
 * @param queueCapacity audit records waiting for evaluation, per instance; beyond it records are skipped by the
 * rules (never by the audit trail) and a warning is logged (default 10000)
 * @param rules the built-in rules
 * @param baseline the per-user baseline behind the unusual-access rules
 * @param delivery retries of webhook deliveries
 * @param webhooks where alerts are sent besides the log (default none)
 */
public record AlertsProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10000") @Min(100) int queueCapacity, @DefaultValue @Valid Rules rules,
		@DefaultValue @Valid Baseline baseline, @DefaultValue @Valid Delivery delivery,
		@DefaultValue List<@Valid Webhook> webhooks) {

	/** How an alert's scope key is formed: one alert for everyone, one per user, or one per target. */
	public enum Scope {

		GLOBAL, USER, TARGET

	}

	/**
	 * The built-in rules.
	 *
	 * @param tokenFailures failed code exchanges and refreshes
	 * @param offHours token refreshes and consents outside business hours
	 * @param policyDenials repeated policy denials
	 * @param auditChain a broken audit chain
	 * @param catalogDrift a changed tool definition
	 * @param newTarget a user's first call to a target absent from their baseline
	 * @param newTool a user's first call to a tool absent from their baseline (of a target already in it)
	 * @param newClient a user's first call through a client id absent from their baseline
	 * @param callRate a user's calls in an hour, several times their usual hourly rate
	 */
	public record Rules(@DefaultValue @Valid TokenFailures tokenFailures, @DefaultValue @Valid OffHours offHours,
			@DefaultValue @Valid PolicyDenials policyDenials, @DefaultValue @Valid AuditChain auditChain,
			@DefaultValue @Valid CatalogDrift catalogDrift, @DefaultValue @Valid NewTarget newTarget,
			@DefaultValue @Valid NewTool newTool, @DefaultValue @Valid NewClient newClient,
			@DefaultValue @Valid CallRate callRate) {
	}

	/**
	 * Rule {@code token-failures}: {@code threshold} matching events within {@code window}.
	 *
	 * @param enabled default {@code true}
	 * @param threshold default 3
	 * @param window default 15m
	 * @param scope default {@code user}
	 * @param severity default {@code high}
	 * @param events the audit records counted: a type, or {@code type:reason} for records of that type with that
	 * {@code reason} (default {@code consent_failed:exchange_failed}, {@code grant_refresh_failed},
	 * {@code grant_reconsent_required})
	 */
	public record TokenFailures(@DefaultValue("true") boolean enabled, @DefaultValue("3") @Min(1) int threshold,
			@DefaultValue("15m") @NotNull Duration window, @DefaultValue("user") @NotNull Scope scope,
			@DefaultValue("high") @NotNull Severity severity,
			@DefaultValue({ "consent_failed:exchange_failed", "grant_refresh_failed",
					"grant_reconsent_required" }) List<String> events) {
	}

	/**
	 * Rule {@code off-hours}: {@code threshold} matching events within {@code window}, each outside business hours.
	 * Off by default: business hours mean nothing until the time zone is set.
	 *
	 * @param enabled default {@code false}
	 * @param threshold default 1
	 * @param window default 1h
	 * @param scope default {@code user}
	 * @param severity default {@code medium}
	 * @param events the audit record types watched (default {@code grant_refreshed}, {@code consent_started},
	 * {@code consent_completed})
	 * @param timeZone the zone business hours are given in (default {@code UTC})
	 * @param businessHours when activity is expected, each {@code Mon-Fri 08:00-18:00} or {@code Sat 09:00-13:00};
	 * a day not listed has no business hours (default {@code Mon-Fri 08:00-18:00})
	 */
	public record OffHours(@DefaultValue("false") boolean enabled, @DefaultValue("1") @Min(1) int threshold,
			@DefaultValue("1h") @NotNull Duration window, @DefaultValue("user") @NotNull Scope scope,
			@DefaultValue("medium") @NotNull Severity severity,
			@DefaultValue({ "grant_refreshed", "consent_started", "consent_completed" }) List<String> events,
			@DefaultValue("UTC") @NotNull ZoneId timeZone,
			@DefaultValue("Mon-Fri 08:00-18:00") List<@Pattern(regexp = BusinessHours.PATTERN,
					message = "must look like 'Mon-Fri 08:00-18:00'") String> businessHours) {
	}

	/**
	 * Rule {@code policy-denials}: {@code threshold} tool calls with outcome {@code denied} within {@code window}.
	 *
	 * @param enabled default {@code true}
	 * @param threshold default 5
	 * @param window default 10m
	 * @param scope default {@code user}
	 * @param severity default {@code medium}
	 */
	public record PolicyDenials(@DefaultValue("true") boolean enabled, @DefaultValue("5") @Min(1) int threshold,
			@DefaultValue("10m") @NotNull Duration window, @DefaultValue("user") @NotNull Scope scope,
			@DefaultValue("medium") @NotNull Severity severity) {
	}

	/**
	 * Rule {@code audit-chain}: {@code audit_chain_broken} records (verification or checkpointing found a record
	 * that was changed, removed or reordered).
	 *
	 * @param enabled default {@code true}
	 * @param threshold default 1
	 * @param window default 1h
	 * @param scope default {@code global}
	 * @param severity default {@code critical}
	 */
	public record AuditChain(@DefaultValue("true") boolean enabled, @DefaultValue("1") @Min(1) int threshold,
			@DefaultValue("1h") @NotNull Duration window, @DefaultValue("global") @NotNull Scope scope,
			@DefaultValue("critical") @NotNull Severity severity) {
	}

	/**
	 * Rule {@code catalog-drift}: {@code catalog_drift} records of tools whose change is listed.
	 *
	 * @param enabled default {@code true}
	 * @param threshold default 1
	 * @param window default 1h
	 * @param scope default {@code target}
	 * @param severity default {@code high}
	 * @param changes which changes count: {@code changed}, {@code added}, {@code removed} (default {@code changed})
	 */
	public record CatalogDrift(@DefaultValue("true") boolean enabled, @DefaultValue("1") @Min(1) int threshold,
			@DefaultValue("1h") @NotNull Duration window, @DefaultValue("target") @NotNull Scope scope,
			@DefaultValue("high") @NotNull Severity severity, @DefaultValue("changed") List<String> changes) {
	}

	/**
	 * Rule {@code new-target}. Always per user; fires on the first call, once the user's warm-up is over.
	 *
	 * @param enabled default {@code true}
	 * @param severity default {@code medium}
	 */
	public record NewTarget(@DefaultValue("true") boolean enabled, @DefaultValue("medium") @NotNull Severity severity) {
	}

	/**
	 * Rule {@code new-tool}. Always per user; silent when the target is new too ({@code new-target} fires).
	 *
	 * @param enabled default {@code true}
	 * @param severity default {@code low}
	 */
	public record NewTool(@DefaultValue("true") boolean enabled, @DefaultValue("low") @NotNull Severity severity) {
	}

	/**
	 * Rule {@code new-client}. Always per user.
	 *
	 * @param enabled default {@code true}
	 * @param severity default {@code medium}
	 */
	public record NewClient(@DefaultValue("true") boolean enabled, @DefaultValue("medium") @NotNull Severity severity) {
	}

	/**
	 * Rule {@code call-rate}: a user's calls in the current hour exceed both {@code minCalls} and {@code factor}
	 * times their average over the hours of the baseline period in which they made calls.
	 *
	 * @param enabled default {@code true}
	 * @param severity default {@code medium}
	 * @param factor default 5
	 * @param minCalls default 100
	 */
	public record CallRate(@DefaultValue("true") boolean enabled, @DefaultValue("medium") @NotNull Severity severity,
			@DefaultValue("5") @Min(1) int factor, @DefaultValue("100") @Min(1) int minCalls) {
	}

	/**
	 * The per-user baseline, kept in the database (shared by instances, kept across restarts).
	 *
	 * @param period how far back the baseline reaches: a target, tool or client id not used for longer is new
	 * again (default 30d)
	 * @param warmUp no unusual-access alert for a user first seen less than this ago: their baseline is being
	 * learnt (default 7d)
	 * @param flushInterval how often hourly call counts are added to the database and the call rate checked
	 * (default 10s)
	 */
	public record Baseline(@DefaultValue("30d") @NotNull Duration period, @DefaultValue("7d") @NotNull Duration warmUp,
			@DefaultValue("10s") @NotNull Duration flushInterval) {
	}

	/**
	 * Retries of webhook deliveries, on the alerts' own threads.
	 *
	 * @param maxAttempts attempts per alert and webhook, the first included (default 6)
	 * @param initialBackoff the wait after the first failure, doubled after each further one (default 2s)
	 * @param maxBackoff the longest wait (default 5m)
	 * @param timeout the deadline of one attempt (default 10s)
	 */
	public record Delivery(@DefaultValue("6") @Min(1) @Max(50) int maxAttempts,
			@DefaultValue("2s") @NotNull Duration initialBackoff, @DefaultValue("5m") @NotNull Duration maxBackoff,
			@DefaultValue("10s") @NotNull Duration timeout) {
	}

	/**
	 * A webhook alerts are posted to.
	 *
	 * @param name names it in delivery records and logs (its URL, which often holds a secret, is never shown)
	 * @param url where alerts are posted; it passes the egress policy
	 * @param format {@code json} (the alert as a JSON object) or {@code slack} (a Slack incoming-webhook message
	 * {@code {"text": ...}}, also understood by Mattermost, Rocket.Chat and Teams workflows) (default json)
	 * @param minSeverity alerts below this severity are not sent here (default {@code low}: all)
	 * @param rules only alerts of these rules are sent here (default all)
	 */
	public record Webhook(@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must be lower-case "
			+ "letters, digits and dashes") String name, @NotNull URI url, @DefaultValue("json") @NotNull Format format,
			@DefaultValue("low") @NotNull Severity minSeverity, @DefaultValue List<String> rules) {

		/** Whether an alert of this rule and severity goes to this webhook. */
		public boolean accepts(String rule, Severity severity) {
			return severity.compareTo(minSeverity) >= 0 && (rules.isEmpty() || rules.contains(rule));
		}
	}

	/** The body of a webhook. */
	public enum Format {

		JSON, SLACK

	}
}
