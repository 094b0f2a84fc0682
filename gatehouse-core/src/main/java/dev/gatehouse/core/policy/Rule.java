package dev.gatehouse.core.policy;

import java.util.List;
import java.util.Objects;

import dev.gatehouse.core.access.Decision.Effect;
import org.jspecify.annotations.Nullable;

/**
 * One policy rule: which roles it concerns, what it covers, what it decides, and under which conditions.
 *
 * @param id a unique id, named in every decision this rule makes
 * @param effect {@link Effect#ALLOW} or {@link Effect#DENY}
 * @param roles the roles it applies to ({@code *} for any authenticated caller)
 * @param targets the target names it covers (patterns)
 * @param tools the upstream tool names it covers (patterns), or {@code null} when it says nothing about tools
 * @param prompts the upstream prompt names it covers, or {@code null}
 * @param resources the upstream resource URIs it covers, or {@code null}
 * @param conditions conditions on tool arguments, all of which must hold (tools only)
 * @param description why the rule exists, for people
 */
public record Rule(String id, Effect effect, List<Glob> roles, List<Glob> targets, @Nullable List<Glob> tools,
		@Nullable List<Glob> prompts, @Nullable List<Glob> resources, List<Condition> conditions,
		@Nullable String description) {

	public Rule {
		Objects.requireNonNull(id, "id must not be null");
		Objects.requireNonNull(effect, "effect must not be null");
		roles = List.copyOf(roles);
		targets = List.copyOf(targets);
		tools = (tools != null) ? List.copyOf(tools) : null;
		prompts = (prompts != null) ? List.copyOf(prompts) : null;
		resources = (resources != null) ? List.copyOf(resources) : null;
		conditions = List.copyOf(conditions);
	}

	/** Whether the rule covers this thing, ignoring conditions. */
	boolean covers(java.util.Set<String> callerRoles, String target, String kind, String name) {
		if (!anyMatches(targets, target) || !coversRoles(callerRoles)) {
			return false;
		}
		List<Glob> names = names(kind);
		if (names == null) {
			// A rule that names no kind at all covers everything of its targets.
			return tools == null && prompts == null && resources == null;
		}
		return anyMatches(names, name);
	}

	/** Whether the rule concerns these roles and this target at all, whatever it covers inside the target. */
	boolean concerns(java.util.Set<String> callerRoles, String target) {
		return anyMatches(targets, target) && coversRoles(callerRoles);
	}

	/** Whether the rule covers the whole target: it names no tools, prompts or resources, and has no condition. */
	boolean coversWholeTarget() {
		return tools == null && prompts == null && resources == null && conditions.isEmpty();
	}

	private boolean coversRoles(java.util.Set<String> callerRoles) {
		for (Glob role : roles) {
			if (role.pattern().equals("*")) {
				return true;
			}
			for (String callerRole : callerRoles) {
				if (role.matches(callerRole)) {
					return true;
				}
			}
		}
		return false;
	}

	private @Nullable List<Glob> names(String kind) {
		return switch (kind) {
			case "tool" -> tools;
			case "prompt" -> prompts;
			case "resource" -> resources;
			default -> null;
		};
	}

	private static boolean anyMatches(List<Glob> patterns, String value) {
		for (Glob glob : patterns) {
			if (glob.matches(value)) {
				return true;
			}
		}
		return false;
	}
}
