package dev.gatehouse.core.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access policy.
 *
 * @param mode {@link Mode#ENFORCE} or {@link Mode#LOG_ONLY}
 * @param roleMappings how token claims become roles
 * @param rules the rules; deny wins, and what no rule allows is denied
 * @param upstreamScopes for each target, the OAuth scopes each role may obtain ({@code *} for any role)
 */
public record Policy(Mode mode, List<RoleMapping> roleMappings, List<Rule> rules,
		Map<String, Map<String, List<String>>> upstreamScopes) {

	/** Whether denials are enforced or only recorded. */
	public enum Mode {

		ENFORCE("enforce"), LOG_ONLY("log-only");

		private final String key;

		Mode(String key) {
			this.key = key;
		}

		public String key() {
			return key;
		}

	}

	public Policy {
		Objects.requireNonNull(mode, "mode must not be null");
		roleMappings = List.copyOf(roleMappings);
		rules = List.copyOf(rules);
		upstreamScopes = Map.copyOf(upstreamScopes);
	}

	/** The policy while none is configured: every authenticated caller may use everything. */
	public static Policy openPolicy() {
		Rule everything = new Rule("open", dev.gatehouse.core.access.Decision.Effect.ALLOW, List.of(Glob.of("*")),
				List.of(Glob.of("*")), null, null, null, List.of(), "no access policy is configured");
		return new Policy(Mode.ENFORCE, List.of(new RoleMapping("roles", "*", List.of(), null),
				new RoleMapping("groups", "*", List.of(), null)), List.of(everything), Map.of());
	}
}
