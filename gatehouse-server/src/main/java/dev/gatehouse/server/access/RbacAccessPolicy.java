package dev.gatehouse.server.access;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.access.Decision;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Enforces the policy in force ({@link PolicyService}) with the caller's roles, which were derived from its
 * token's claims by the same policy's role mappings.
 */
@Component
final class RbacAccessPolicy implements AccessPolicy {

	private final PolicyService policies;

	RbacAccessPolicy(PolicyService policies) {
		this.policies = policies;
	}

	@Override
	public Decision decide(Caller caller, String target, String kind, String name, @Nullable JsonNode arguments) {
		return policies.current().evaluator().decide(caller.roles(), target, kind, name, arguments);
	}

	@Override
	public boolean mayConnect(Caller caller, String target) {
		return policies.current().evaluator().mayUseSomethingOf(caller.roles(), target);
	}
}
