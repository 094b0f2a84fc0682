package dev.gatehouse.core.oauth;

import java.util.Objects;
import java.util.regex.Pattern;

import dev.gatehouse.core.secret.Secret;

/**
 * A PKCE code verifier: 43 to 128 characters of {@code [A-Za-z0-9-._~]}. The gateway makes one per authorization
 * transaction from 32 random bytes; it is kept encrypted until the code exchange and never logged.
 *
 * @param value the verifier
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636#section-4.1">RFC 7636 §4.1</a>
 */
public record CodeVerifier(Secret value) {

	private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

	public CodeVerifier {
		Objects.requireNonNull(value, "value must not be null");
		if (!FORMAT.matcher(value.reveal()).matches()) {
			throw new IllegalArgumentException("a code verifier is 43 to 128 characters of [A-Za-z0-9-._~]");
		}
	}

	/** A new verifier with 256 bits of entropy. */
	public static CodeVerifier generate() {
		return new CodeVerifier(Secret.of(RandomTokens.generate(32)));
	}

	@Override
	public String toString() {
		return "CodeVerifier[REDACTED]";
	}
}
