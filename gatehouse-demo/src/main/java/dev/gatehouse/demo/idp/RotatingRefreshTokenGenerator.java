package dev.gatehouse.demo.idp;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Generates opaque refresh tokens for every client, public ones included.
 *
 * <p>
 * Why not Spring's {@code OAuth2RefreshTokenGenerator}: it returns no refresh token to a
 * public client on the authorization code grant (a deliberate Spring Authorization Server
 * choice, spring-authorization-server#297). MCP clients (Claude Code, MCP Inspector, the
 * SDKs) are public clients and expect refresh tokens. OAuth 2.1 section 4.3.1 allows
 * them for public clients when they are sender-constrained or rotated; every client of
 * this provider has {@code reuseRefreshTokens=false}, so each refresh token works once.
 * The refresh request itself is authenticated by {@link PublicClientRefreshAuthenticationProvider}.
 *
 * @see <a href=
 * "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1#section-4.3.1">OAuth 2.1
 * section 4.3.1</a>
 */
final class RotatingRefreshTokenGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

	/** 96 random bytes, as Spring's generator. */
	private final StringKeyGenerator values = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(),
			96);

	private final Clock clock;

	RotatingRefreshTokenGenerator(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
		if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
			return null;
		}
		Instant issuedAt = this.clock.instant();
		Instant expiresAt = issuedAt.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
		return new OAuth2RefreshToken(this.values.generateKey(), issuedAt, expiresAt);
	}

}
