package dev.gatehouse.core.policy;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a token claim becomes gateway roles. With {@code value} {@code *} each value of the claim becomes a role
 * of the same name (prefixed by {@code prefix}); otherwise the claim having that value grants {@code roles}.
 * Claims may be dotted paths into objects ({@code realm_access.roles} for Keycloak); {@code scope} and
 * {@code scp} strings are split on spaces.
 *
 * @param claim the claim's name or path
 * @param value the value to match, or {@code *}
 * @param roles the roles granted when {@code value} matches
 * @param prefix put before claim values mapped one to one ({@code *}), such as {@code scope:}
 */
public record RoleMapping(String claim, String value, List<String> roles, @Nullable String prefix) {

	public RoleMapping {
		Objects.requireNonNull(claim, "claim must not be null");
		Objects.requireNonNull(value, "value must not be null");
		roles = List.copyOf(roles);
	}
}
