package dev.gatehouse.server.credentials;

import java.util.Objects;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;

import org.springframework.stereotype.Component;

/**
 * Finds the credential for (caller, target): none, or a static key from a secret reference. OAuth 2.0 targets
 * get theirs from the token vault (not in this build: calling one fails with a message that says so).
 */
@Component
public final class CredentialResolver {

	private static final UpstreamCredential NONE = new UpstreamCredential.None();

	private final SecretResolver secrets;

	public CredentialResolver(SecretResolver secrets) {
		this.secrets = Objects.requireNonNull(secrets, "secrets must not be null");
	}

	/**
	 * @throws CredentialUnavailableException when the credential cannot be obtained
	 */
	public UpstreamCredential resolve(Caller caller, Target target) {
		TargetAuth auth = target.auth();
		if (auth instanceof TargetAuth.ApiKey apiKey) {
			Secret key = secrets.resolve(apiKey.key(), "auth.key of target '" + target.name() + "'");
			Secret value = apiKey.isAuthorizationHeader() ? Secret.of("Bearer " + key.reveal()) : key;
			return new UpstreamCredential.Header(apiKey.header(), value, "shared");
		}
		if (auth instanceof TargetAuth.OAuth2) {
			throw new CredentialUnavailableException("target '" + target.name()
					+ "' uses OAuth 2.0, and this gateway build cannot obtain OAuth 2.0 tokens for targets yet");
		}
		return NONE;
	}
}
