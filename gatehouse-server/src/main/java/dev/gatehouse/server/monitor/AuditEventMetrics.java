package dev.gatehouse.server.monitor;

import java.util.regex.Pattern;

import dev.gatehouse.core.audit.AuditEvent;
import dev.gatehouse.server.audit.AuditListener;
import dev.gatehouse.server.audit.AuditTrail;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.credentials.Grant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Security and OAuth metrics derived from the audit trail, so that a counter and its audit record can never
 * disagree: the consent funnel, token endpoint requests (code exchanges, refreshes, client credentials) and their
 * failures, grant changes, client registrations and authentication failures; and the audit queue's depth.
 * <p>
 * Runs on the audit writer thread ({@link AuditListener}). Tag values are bounded: a target name that is not
 * registered (a made-up {@code /connect/{target}} link) is counted as {@code -}, and free-text reasons are reduced
 * to a closed vocabulary or {@code other}.
 */
@Component
final class AuditEventMetrics implements AuditListener {

	private static final Pattern CODE = Pattern.compile("[a-z_]{1,40}");

	private final MeterRegistry registry;

	private final TargetRegistry targets;

	AuditEventMetrics(MeterRegistry registry, TargetRegistry targets, AuditTrail audit) {
		this.registry = registry;
		this.targets = targets;
		Gauge.builder("gatehouse.audit.queue.depth", audit, AuditTrail::queueDepth)
			.description("Audit records accepted but not yet written")
			.register(registry);
	}

	@Override
	public void onAudit(AuditEvent event) {
		switch (event.type()) {
			case "consent_requested" -> consent(event, "requested", McpMetrics.NONE);
			case "consent_started" -> consent(event, "started", McpMetrics.NONE);
			case "consent_declined" -> consent(event, "declined", McpMetrics.NONE);
			case "consent_completed" -> {
				consent(event, "completed", McpMetrics.NONE);
				// consent_completed is written right after the code was exchanged and the grant stored.
				tokenRequest(event, "authorization_code", "success");
			}
			case "consent_failed" -> {
				String reason = code(text(event, "reason"));
				consent(event, "failed", reason);
				if (reason.equals("exchange_failed")) {
					tokenRequest(event, "authorization_code", "failure");
				}
			}
			case "grant_refreshed" -> tokenRequest(event, "refresh_token", "success");
			case "client_credentials_token_obtained" -> tokenRequest(event, "client_credentials", "success");
			case "grant_refresh_failed" -> tokenRequest(event, Grant.CLIENT_CREDENTIALS_ISSUER.equals(text(event, "issuer"))
					? "client_credentials" : "refresh_token", "failure");
			case "grant_reconsent_required" -> {
				// "no refresh token": the gateway had nothing to send, so no request was made.
				if (!"no refresh token".equals(text(event, "reason"))) {
					tokenRequest(event, "refresh_token", "refused");
				}
				grantChange(event, "reconsent_required");
			}
			case "grant_tokens_unreadable" -> grantChange(event, "tokens_unreadable");
			case "grant_revoked" -> grantChange(event, "revoked");
			case "oauth_client_registered" -> Counter.builder("gatehouse.oauth.client.registrations")
				.description("Dynamic client registrations (RFC 7591) of the gateway at targets' authorization servers")
				.tag("target", target(event))
				.register(registry)
				.increment();
			case "authentication_failed" -> Counter.builder("gatehouse.authentication.failures")
				.description("Requests refused because the caller's token was missing, invalid or lacked a scope")
				.tag("error", code(text(event, "error")))
				.register(registry)
				.increment();
			default -> {
			}
		}
	}

	private void consent(AuditEvent event, String stage, String reason) {
		Counter.builder("gatehouse.consent")
			.description("The consent funnel: links requested, started at the authorization server, completed, "
					+ "failed (by reason) and declined")
			.tag("target", target(event))
			.tag("stage", stage)
			.tag("reason", reason)
			.register(registry)
			.increment();
	}

	private void tokenRequest(AuditEvent event, String grantType, String outcome) {
		Counter.builder("gatehouse.oauth.token.requests")
			.description("Requests to targets' token endpoints by grant type and outcome: success, failure "
					+ "(transient: kept for a retry) or refused (the grant needs a new consent)")
			.tag("target", target(event))
			.tag("grant_type", grantType)
			.tag("outcome", outcome)
			.register(registry)
			.increment();
	}

	private void grantChange(AuditEvent event, String change) {
		Counter.builder("gatehouse.oauth.grant.changes")
			.description("Grants revoked, marked for a new consent, or whose tokens no longer open")
			.tag("target", target(event))
			.tag("change", change)
			.register(registry)
			.increment();
	}

	private String target(AuditEvent event) {
		String name = text(event, "target");
		return (name != null && targets.find(name).isPresent()) ? name : McpMetrics.NONE;
	}

	/** A field as text, or {@code null}. */
	private static @Nullable String text(AuditEvent event, String name) {
		return event.text(name);
	}

	private static String code(@Nullable String value) {
		if (value == null) {
			return McpMetrics.NONE;
		}
		return CODE.matcher(value).matches() ? value : "other";
	}
}
