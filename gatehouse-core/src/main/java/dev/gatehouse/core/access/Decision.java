package dev.gatehouse.core.access;

import java.util.Objects;

/**
 * The outcome of an access decision, with the rule that decided it and why, so that it can be audited as is.
 *
 * @param effect allow or deny
 * @param rule the id of the rule that decided
 * @param reason a sentence for the audit trail; never shown to the agent on a deny
 */
public record Decision(Effect effect, String rule, String reason) {

	/** Allow, deny, or allow because the policy only logs what it would deny. */
	public enum Effect {

		/** Allowed by a rule. */
		ALLOW,
		/** Denied. */
		DENY,
		/** Would be denied, but the policy is in log-only mode: allowed, and recorded as a would-be denial. */
		WOULD_DENY

	}

	public Decision {
		Objects.requireNonNull(effect, "effect must not be null");
		Objects.requireNonNull(rule, "rule must not be null");
		Objects.requireNonNull(reason, "reason must not be null");
	}

	public static Decision allow(String rule, String reason) {
		return new Decision(Effect.ALLOW, rule, reason);
	}

	public static Decision deny(String rule, String reason) {
		return new Decision(Effect.DENY, rule, reason);
	}

	public static Decision wouldDeny(String rule, String reason) {
		return new Decision(Effect.WOULD_DENY, rule, reason);
	}

	/** Whether the request may proceed (allowed, or denied only in log-only mode). */
	public boolean allowed() {
		return effect != Effect.DENY;
	}
}
