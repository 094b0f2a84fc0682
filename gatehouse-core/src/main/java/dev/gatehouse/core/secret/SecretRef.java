package dev.gatehouse.core.secret;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a secret lives: {@code env:NAME} (an environment variable), {@code file:PATH} (a file whose content,
 * without a trailing newline, is the secret), or {@code vault:NAME} (sealed in the gateway's own vault, set through
 * the admin API; the name is scoped to the target that refers to it). A reference is not secret itself and may be
 * shown.
 *
 * @param kind where to look
 * @param location the variable name or file path
 */
public record SecretRef(Kind kind, String location) {

	private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

	/** The places a secret can come from. */
	public enum Kind {

		ENV("env"), FILE("file"), VAULT("vault");

		private final String prefix;

		Kind(String prefix) {
			this.prefix = prefix;
		}

		public String prefix() {
			return prefix;
		}

	}

	public SecretRef {
		Objects.requireNonNull(kind, "kind must not be null");
		Objects.requireNonNull(location, "location must not be null");
	}

	/**
	 * Parses {@code env:NAME} or {@code file:PATH}; empty when the text is not a reference at all.
	 * @throws IllegalArgumentException when it looks like a reference but is malformed
	 */
	public static Optional<SecretRef> parse(String text) {
		if (text.startsWith("env:")) {
			String name = text.substring(4);
			if (!ENV_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException(
						"'env:' must be followed by an environment variable name such as RISK_CLIENT_SECRET");
			}
			return Optional.of(new SecretRef(Kind.ENV, name));
		}
		if (text.startsWith("vault:")) {
			String name = text.substring(6);
			if (!ENV_NAME.matcher(name.replace('-', '_')).matches()) {
				throw new IllegalArgumentException("'vault:' must be followed by a name such as client-secret");
			}
			return Optional.of(new SecretRef(Kind.VAULT, name));
		}
		if (text.startsWith("file:")) {
			String path = text.substring(5);
			if (path.isBlank()) {
				throw new IllegalArgumentException("'file:' must be followed by a file path");
			}
			return Optional.of(new SecretRef(Kind.FILE, path));
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return kind.prefix() + ":" + location;
	}
}
