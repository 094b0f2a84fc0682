package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.Objects;

/**
 * A fixed user of the {@link DemoIdentityProvider}. The password is public on purpose:
 * this is a demo and test fixture, never a real account.
 *
 * <p>
 * The user's {@code roles} and {@code groups} become the {@code roles} and
 * {@code groups} claims (JSON arrays, possibly empty) of access tokens and ID tokens; the
 * username becomes {@code sub} and {@code preferred_username}.
 *
 * @param username the login name, also the token subject
 * @param password the password (plain text: demo only)
 * @param roles the user's roles, in a stable order
 * @param groups the user's groups, in a stable order
 */
public record DemoUser(String username, String password, List<String> roles, List<String> groups) {

	/**
	 * Checks and copies the components.
	 * @param username must not be blank
	 * @param password must not be empty
	 * @param roles must not be null; copied
	 * @param groups must not be null; copied
	 */
	public DemoUser {
		Objects.requireNonNull(username, "username must not be null");
		Objects.requireNonNull(password, "password must not be null");
		if (username.isBlank()) {
			throw new IllegalArgumentException("username must not be blank");
		}
		if (password.isEmpty()) {
			throw new IllegalArgumentException("password must not be empty");
		}
		roles = List.copyOf(Objects.requireNonNull(roles, "roles must not be null"));
		groups = List.copyOf(Objects.requireNonNull(groups, "groups must not be null"));
	}

	/**
	 * The {@code email} claim of the user's ID tokens.
	 * @return {@code <username>@example.com}
	 */
	public String email() {
		return this.username + "@example.com";
	}

	/**
	 * Redacts the password.
	 * @return the user without the password
	 */
	@Override
	public String toString() {
		return "DemoUser[username=" + this.username + ", roles=" + this.roles + ", groups=" + this.groups + "]";
	}

}
