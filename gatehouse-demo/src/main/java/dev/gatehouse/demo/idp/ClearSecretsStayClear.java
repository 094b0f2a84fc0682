package dev.gatehouse.demo.idp;

import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The provider's password encoder: Spring's delegating encoder (new secrets are bcrypt hashes), except that a
 * secret configured in clear ({@code {noop}}: the demo users, the pre-registered clients) is never "upgraded".
 *
 * <p>
 * Spring re-encodes such a secret with bcrypt the first time it matches (client authentication saves the
 * re-encoded client, user login the re-encoded user), and from then on every token request of that client, and
 * every login, costs a bcrypt check: about 100 ms of CPU at strength 10. The secrets are given in clear in the
 * provider's configuration anyway, so the hash protects nothing, and on a small machine it dominates: 100
 * client-credentials token requests kept both cores of the benchmark machine busy for five seconds.
 */
final class ClearSecretsStayClear implements PasswordEncoder {

	private static final String CLEAR = "{noop}";

	private final PasswordEncoder delegate;

	ClearSecretsStayClear(PasswordEncoder delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable String encode(@Nullable CharSequence rawPassword) {
		return this.delegate.encode(rawPassword);
	}

	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
		return this.delegate.matches(rawPassword, encodedPassword);
	}

	@Override
	public boolean upgradeEncoding(@Nullable String encodedPassword) {
		return (encodedPassword == null || !encodedPassword.startsWith(CLEAR))
				&& this.delegate.upgradeEncoding(encodedPassword);
	}

}
