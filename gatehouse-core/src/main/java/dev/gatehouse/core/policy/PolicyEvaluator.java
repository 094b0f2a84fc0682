package dev.gatehouse.core.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.gatehouse.core.access.Decision;
import dev.gatehouse.core.access.Decision.Effect;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates a {@link Policy}: deny wins, an allow rule is needed, and what no rule allows is denied. In
 * log-only mode a denial becomes {@link Effect#WOULD_DENY}. Immutable and thread-safe; a decision is a few
 * pattern matches, with no I/O.
 */
public final class PolicyEvaluator {

	/** The rule id of the implicit last rule. */
	public static final String DEFAULT_RULE = "default";

	private final Policy policy;

	public PolicyEvaluator(Policy policy) {
		this.policy = Objects.requireNonNull(policy, "policy must not be null");
	}

	public Policy policy() {
		return policy;
	}

	/**
	 * Decides whether callers with {@code roles} may use one thing.
	 * @param kind {@code tool}, {@code prompt} or {@code resource}
	 * @param name the upstream name (tools, prompts) or URI (resources)
	 * @param arguments the call's arguments, or {@code null} when deciding whether to list it: then allow rules
	 * with conditions count (the call might be allowed) and deny rules with conditions do not
	 */
	public Decision decide(Set<String> roles, String target, String kind, String name, @Nullable JsonNode arguments) {
		Rule allow = null;
		for (Rule rule : policy.rules()) {
			if (!rule.covers(roles, target, kind, name) || !conditionsHold(rule, arguments)) {
				continue;
			}
			if (rule.effect() == Effect.DENY) {
				return enforce(Decision.deny(rule.id(), "rule '" + rule.id() + "' denies " + who(roles) + " the "
						+ kind + " '" + name + "' of target '" + target + "'" + conditionText(rule, arguments)));
			}
			if (allow == null) {
				allow = rule;
			}
		}
		if (allow != null) {
			return Decision.allow(allow.id(), "rule '" + allow.id() + "' allows " + who(roles) + " the " + kind + " '"
					+ name + "' of target '" + target + "'" + conditionText(allow, arguments));
		}
		return enforce(Decision.deny(DEFAULT_RULE,
				"no rule allows " + who(roles) + " the " + kind + " '" + name + "' of target '" + target + "'"));
	}

	private static boolean conditionsHold(Rule rule, @Nullable JsonNode arguments) {
		if (rule.conditions().isEmpty()) {
			return true;
		}
		if (arguments == null) {
			return rule.effect() == Effect.ALLOW;
		}
		for (Condition condition : rule.conditions()) {
			if (!condition.holds(arguments)) {
				return false;
			}
		}
		return true;
	}

	private Decision enforce(Decision denial) {
		if (policy.mode() == Policy.Mode.LOG_ONLY) {
			return Decision.wouldDeny(denial.rule(), "log-only mode, would be denied: " + denial.reason());
		}
		return denial;
	}

	private static String conditionText(Rule rule, @Nullable JsonNode arguments) {
		if (rule.conditions().isEmpty()) {
			return "";
		}
		List<String> parts = new ArrayList<>();
		rule.conditions().forEach((c) -> parts.add(c.toString()));
		return (arguments == null ? " (when " : " (") + String.join(" and ", parts) + ")";
	}

	private static String who(Set<String> roles) {
		return roles.isEmpty() ? "a caller with no role" : "role(s) " + new TreeSet<>(roles);
	}

	/**
	 * Whether callers with {@code roles} may use something of {@code target}: an allow rule concerns them and the
	 * target, and no deny rule shuts them out of the whole target. Used before a target's tools are known (a
	 * per-user OAuth target nobody has connected yet), to decide who may connect it. In log-only mode, always.
	 */
	public boolean mayUseSomethingOf(Set<String> roles, String target) {
		if (policy.mode() == Policy.Mode.LOG_ONLY) {
			return true;
		}
		boolean allowed = false;
		for (Rule rule : policy.rules()) {
			if (!rule.concerns(roles, target)) {
				continue;
			}
			if (rule.effect() == Effect.DENY && rule.coversWholeTarget()) {
				return false;
			}
			allowed |= rule.effect() == Effect.ALLOW;
		}
		return allowed;
	}

	/** The rules that cover one thing for these roles, conditions aside, in policy order: for explanations. */
	public List<Rule> matchingRules(Set<String> roles, String target, String kind, String name) {
		List<Rule> matching = new ArrayList<>();
		for (Rule rule : policy.rules()) {
			if (rule.covers(roles, target, kind, name)) {
				matching.add(rule);
			}
		}
		return matching;
	}

	/**
	 * The gateway roles token claims grant.
	 * @param claims the token's claims: strings, numbers, booleans, collections and maps
	 */
	public Set<String> roles(Map<String, ?> claims) {
		Set<String> roles = new LinkedHashSet<>();
		for (RoleMapping mapping : policy.roleMappings()) {
			for (String value : claimValues(claims, mapping.claim())) {
				if (mapping.value().equals("*")) {
					roles.add(((mapping.prefix() != null) ? mapping.prefix() : "") + value);
				}
				else if (mapping.value().equals(value)) {
					roles.addAll(mapping.roles());
				}
			}
		}
		return roles;
	}

	/** The string values of a claim (a dotted path); {@code scope} and {@code scp} strings split on spaces. */
	static List<String> claimValues(Map<String, ?> claims, String path) {
		Object node = claims;
		for (String part : path.split("\\.")) {
			if (!(node instanceof Map<?, ?> map)) {
				return List.of();
			}
			node = map.get(part);
		}
		List<String> values = new ArrayList<>();
		boolean split = path.equals("scope") || path.equals("scp");
		if (node instanceof String s) {
			if (split) {
				for (String token : s.trim().split("\\s+")) {
					if (!token.isEmpty()) {
						values.add(token);
					}
				}
			}
			else {
				values.add(s);
			}
		}
		else if (node instanceof Collection<?> collection) {
			collection.forEach((v) -> {
				if (v instanceof String || v instanceof Number || v instanceof Boolean) {
					values.add(String.valueOf(v));
				}
			});
		}
		else if (node instanceof Number || node instanceof Boolean) {
			values.add(String.valueOf(node));
		}
		return values;
	}

	/**
	 * The target's OAuth scopes callers with {@code roles} may obtain: for each role, the scopes the policy
	 * grants it for that target ({@code *} in the role position grants to every role), kept in the target's
	 * order. A target the policy says nothing about keeps all its scopes.
	 */
	public List<String> upstreamScopes(Set<String> roles, String target, List<String> targetScopes) {
		Map<String, List<String>> byRole = policy.upstreamScopes().get(target);
		if (byRole == null) {
			return List.copyOf(targetScopes);
		}
		Set<String> allowed = new LinkedHashSet<>(byRole.getOrDefault("*", List.of()));
		for (String role : roles) {
			allowed.addAll(byRole.getOrDefault(role, List.of()));
		}
		List<String> scopes = new ArrayList<>();
		for (String scope : targetScopes) {
			if (allowed.contains(scope)) {
				scopes.add(scope);
			}
		}
		return scopes;
	}
}
