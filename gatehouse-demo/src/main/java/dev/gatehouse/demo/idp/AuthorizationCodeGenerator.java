package dev.gatehouse.demo.idp;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Authorization codes as Spring Authorization Server makes them (96 random bytes,
 * base64url), but timed by the provider's clock: Spring's own generator reads
 * {@code Instant.now()}. The lifetime is the client's
 * {@code authorizationCodeTimeToLive} (Spring's default, five minutes); expiry is then
 * enforced against the same clock by {@link DemoAuthorizationService}.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2">RFC 6749
 * section 4.1.2</a>
 */
final class AuthorizationCodeGenerator implements OAuth2TokenGenerator<OAuth2AuthorizationCode> {

	private final StringKeyGenerator values = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(),
			96);

	private final Clock clock;

	AuthorizationCodeGenerator(Clock clock) {
		this.clock = clock;
	}

	@Override
	public @Nullable OAuth2AuthorizationCode generate(OAuth2TokenContext context) {
		if (context.getTokenType() == null || !OAuth2ParameterNames.CODE.equals(context.getTokenType().getValue())) {
			return null;
		}
		Instant issuedAt = this.clock.instant();
		Instant expiresAt = issuedAt
			.plus(context.getRegisteredClient().getTokenSettings().getAuthorizationCodeTimeToLive());
		return new OAuth2AuthorizationCode(this.values.generateKey(), issuedAt, expiresAt);
	}

}
