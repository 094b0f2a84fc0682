package dev.gatehouse.server.credentials;

import java.util.Objects;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.secret.Secret;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Step 5 of the tool-call path: the credential for (caller, target). None; a static key from a secret reference;
 * or an OAuth 2.0 access token from the vault, refreshed first when it is close to expiry ({@link UpstreamTokens}).
 * The caller's own token is never among them.
 */
@Component
public final class CredentialResolver {

	private static final UpstreamCredential NONE = new UpstreamCredential.None();

	private final SecretResolver secrets;

	private final UpstreamTokens tokens;

	public CredentialResolver(SecretResolver secrets, UpstreamTokens tokens) {
		this.secrets = Objects.requireNonNull(secrets, "secrets must not be null");
		this.tokens = Objects.requireNonNull(tokens, "tokens must not be null");
	}

	/**
	 * @param sessionKey the caller's MCP session, told when a consent this call needs completes; or {@code null}
	 * @throws CredentialUnavailableException when a static credential cannot be read
	 * @throws ConsentRequiredException when the user must authorise an OAuth 2.0 target first
	 * @throws AuthorizationUnavailableException when the target's authorization server cannot give a token now
	 */
	public UpstreamCredential resolve(Caller caller, Target target, @Nullable String sessionKey) {
		TargetAuth auth = target.auth();
		if (auth instanceof TargetAuth.ApiKey apiKey) {
			Secret key = secrets.resolve(apiKey.key(), "auth.key of target '" + target.name() + "'");
			Secret value = apiKey.isAuthorizationHeader() ? Secret.of("Bearer " + key.reveal()) : key;
			return new UpstreamCredential.Header(apiKey.header(), value, "shared");
		}
		if (auth instanceof TargetAuth.OAuth2) {
			return new UpstreamCredential.OAuthToken(tokens.token(caller, target, sessionKey));
		}
		return NONE;
	}

	/** {@link #resolve(Caller, Target, String)} without a session. */
	public UpstreamCredential resolve(Caller caller, Target target) {
		return resolve(caller, target, null);
	}

	/**
	 * The credential for reading a target's catalog: the gateway's own for static and client-credentials targets;
	 * for per-user OAuth targets, a connected user's token, or empty while nobody has connected the target yet.
	 */
	public java.util.Optional<UpstreamCredential> forCatalog(Caller system, Target target) {
		if (target.auth() instanceof TargetAuth.OAuth2 oauth
				&& oauth.grantType() == TargetAuth.GrantType.AUTHORIZATION_CODE) {
			return tokens.anyUsersToken(target).map(UpstreamCredential.OAuthToken::new);
		}
		return java.util.Optional.of(resolve(system, target));
	}

	/**
	 * After the target answered 401 to {@code rejected}: a refreshed credential to retry with once, or
	 * {@code null} when the credential is not one that a refresh can replace.
	 */
	public @Nullable UpstreamCredential afterRejection(Caller caller, Target target, UpstreamCredential rejected,
			@Nullable String sessionKey) {
		if (rejected instanceof UpstreamCredential.OAuthToken oauth) {
			return new UpstreamCredential.OAuthToken(tokens.afterRejection(caller, target, oauth.token(), sessionKey));
		}
		return null;
	}
}
