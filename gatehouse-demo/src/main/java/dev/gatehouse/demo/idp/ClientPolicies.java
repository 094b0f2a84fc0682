package dev.gatehouse.demo.idp;

import java.time.Duration;

import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Settings shared by every client of the demo identity provider.
 */
final class ClientPolicies {

	private ClientPolicies() {
	}

	/**
	 * Client settings: never a consent screen (scripted logins stay simple; the demo
	 * users have nothing to protect).
	 * @param requireProofKey whether PKCE is mandatory; always {@code true} for public and
	 * dynamically registered clients, {@code false} (PKCE allowed, checked when sent) for
	 * the pre-registered confidential gateway client
	 * @return the settings
	 */
	static ClientSettings clientSettings(boolean requireProofKey) {
		return ClientSettings.builder().requireProofKey(requireProofKey).requireAuthorizationConsent(false).build();
	}

	/**
	 * Token settings: JWT access tokens with the given lifetime, and refresh tokens that
	 * are replaced on every use (a used refresh token is refused afterwards, and
	 * {@link DemoAuthorizationService} revokes the grant when that happens).
	 * @param accessTokenTtl the access token lifetime
	 * @param refreshTokenTtl the refresh token lifetime
	 * @return the settings
	 * @see <a href=
	 * "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1">OAuth 2.1
	 * section 4.3.1 (refresh token rotation)</a>
	 */
	static TokenSettings tokenSettings(Duration accessTokenTtl, Duration refreshTokenTtl) {
		return TokenSettings.builder()
			.accessTokenTimeToLive(accessTokenTtl)
			.refreshTokenTimeToLive(refreshTokenTtl)
			.reuseRefreshTokens(false)
			.build();
	}

}
