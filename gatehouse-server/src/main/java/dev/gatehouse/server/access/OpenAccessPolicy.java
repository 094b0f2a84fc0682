package dev.gatehouse.server.access;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.access.Decision;

import org.springframework.stereotype.Component;

/**
 * The policy while no role-based policy is configured: every authenticated caller may use every enabled tool.
 * The decision still names its rule, so the audit trail shows why a call was allowed.
 */
@Component
final class OpenAccessPolicy implements AccessPolicy {

	private static final Decision ALLOW = Decision.allow("open", "no access policy is configured");

	@Override
	public Decision decide(Caller caller, String target, String kind, String name) {
		return ALLOW;
	}
}
