package dev.gatehouse.server.monitor.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.gatehouse.core.audit.AuditEvent;

/**
 * The built-in rules, made from {@code gatehouse.alerts.rules}: the threshold rules over single records, and the
 * candidates of the baseline rules ({@code new-target}, {@code new-tool}, {@code new-client}, {@code call-rate}).
 */
final class AlertRules {

	/** Every built-in rule's name. */
	static final List<String> NAMES = List.of("token-failures", "off-hours", "policy-denials", "audit-chain",
			"catalog-drift", "new-target", "new-tool", "new-client", "call-rate");

	private AlertRules() {
	}

	static List<ThresholdRule> thresholdRules(AlertsProperties.Rules r) {
		List<ThresholdRule> rules = new ArrayList<>();
		AlertsProperties.TokenFailures tf = r.tokenFailures();
		if (tf.enabled()) {
			rules.add(new ThresholdRule("token-failures", anyOf(tf.events()), tf.threshold(), tf.window(), tf.scope(),
					tf.severity(), (e, n, w) -> n + " failed token exchange(s) or refresh(es) for " + who(e)
							+ " within " + w + " (latest: " + e.type() + reason(e) + ")"));
		}
		AlertsProperties.OffHours oh = r.offHours();
		if (oh.enabled()) {
			BusinessHours hours = new BusinessHours(oh.timeZone(), oh.businessHours());
			Predicate<AuditEvent> outside = (e) -> oh.events().contains(e.type()) && !hours.contains(e.at());
			rules.add(new ThresholdRule("off-hours", outside, oh.threshold(), oh.window(), oh.scope(), oh.severity(),
					(e, n, w) -> e.type() + " for " + who(e) + " outside business hours ("
							+ e.at().atZone(hours.zone()).toLocalDateTime().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + " "
							+ hours.zone() + ")"));
		}
		AlertsProperties.PolicyDenials pd = r.policyDenials();
		if (pd.enabled()) {
			Predicate<AuditEvent> denied = (e) -> AuditEvent.TOOL_CALL.equals(e.type()) && "denied".equals(e.outcome());
			rules.add(new ThresholdRule("policy-denials", denied, pd.threshold(), pd.window(), pd.scope(), pd.severity(),
					(e, n, w) -> n + " tool calls by " + who(e) + " denied by the policy within " + w + " (latest: "
							+ e.tool() + ")"));
		}
		AlertsProperties.AuditChain ac = r.auditChain();
		if (ac.enabled()) {
			rules.add(new ThresholdRule("audit-chain", (e) -> "audit_chain_broken".equals(e.type()), ac.threshold(),
					ac.window(), ac.scope(), ac.severity(), (e, n, w) -> "The audit chain failed verification: "
							+ "records were changed, removed or reordered"));
		}
		AlertsProperties.CatalogDrift cd = r.catalogDrift();
		if (cd.enabled()) {
			Predicate<AuditEvent> drift = (e) -> "catalog_drift".equals(e.type()) && "tool".equals(e.text("kind"))
					&& cd.changes().contains(e.text("change"));
			rules.add(new ThresholdRule("catalog-drift", drift, cd.threshold(), cd.window(), cd.scope(), cd.severity(),
					(e, n, w) -> "The definition of tool '" + e.text("name") + "' of target '" + e.target() + "' "
							+ e.text("change") + " since it was last synchronised"));
		}
		return List.copyOf(rules);
	}

	/** Matches records of the listed types, or {@code type:reason} for a type with that reason only. */
	static Predicate<AuditEvent> anyOf(List<String> events) {
		return (e) -> {
			for (String spec : events) {
				int colon = spec.indexOf(':');
				if (colon < 0 ? spec.equals(e.type())
						: spec.substring(0, colon).equals(e.type()) && spec.substring(colon + 1).equals(e.text("reason"))) {
					return true;
				}
			}
			return false;
		};
	}

	/** A baseline rule's alert for a tool call: per user. */
	static Candidate novelty(String rule, Severity severity, AuditEvent call, String title, Instant baselineSince) {
		Map<String, Object> details = ThresholdRule.details(call);
		details.put("baseline_since", baselineSince.toString());
		return new Candidate(rule, severity, ThresholdRule.scopeKey(AlertsProperties.Scope.USER, call), title, details,
				call.at());
	}

	static Candidate callRate(AlertsProperties.CallRate rate, Baseline.UserHour h, long calls, double average,
			Instant at) {
		Map<String, Object> details = new java.util.LinkedHashMap<>();
		details.put("issuer", h.issuer());
		details.put("subject", h.subject());
		details.put("hour", h.hour().toString());
		details.put("calls", calls);
		details.put("hourly_average", Math.round(average * 10) / 10.0);
		details.put("factor", rate.factor());
		return new Candidate("call-rate", rate.severity(), "user:" + h.issuer() + "|" + h.subject(), h.subject()
				+ " made " + calls + " tool calls in the hour from " + h.hour() + ", over " + rate.factor()
				+ " times their usual " + Math.round(average * 10) / 10.0 + " per hour", details, at);
	}

	private static String who(AuditEvent e) {
		if (e.subject() != null) {
			return e.subject();
		}
		return (e.target() != null) ? "target '" + e.target() + "'" : "the gateway";
	}

	private static String reason(AuditEvent e) {
		String reason = e.text("reason");
		return (reason != null && reason.length() <= 80) ? " " + reason : "";
	}
}
