package dev.gatehouse.demo.idp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;

/**
 * Decoders for the RFC 7523 client assertions of {@code private_key_jwt} clients, in
 * place of Spring's {@code JwtClientAssertionDecoderFactory}, for two reasons: Spring
 * accepts only the one algorithm of the client's settings, and checks {@code exp} and
 * {@code nbf} against the system clock. Here an assertion may be signed with RS256 or
 * ES256 by a key of the client's JWK Set URL, and its times are checked against the
 * provider clock (60 seconds of skew, Spring's default).
 *
 * <p>
 * The claims checked are Spring's: {@code iss} and {@code sub} equal to the client id,
 * {@code exp} present, {@code aud} naming the issuer or one of its token, introspection,
 * revocation or PAR endpoints. There is no {@code jti} replay check (Spring has none
 * either). Decoders are cached per client; Nimbus refetches the JWK set on an unknown key
 * id. Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7523#section-3">RFC 7523
 * section 3</a>
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7523#section-3";

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	private final Clock clock;

	private final List<String> audiences;

	ClientAssertionDecoders(String issuer, AuthorizationServerSettings endpoints, Clock clock) {
		this.clock = clock;
		this.audiences = List.of(issuer, issuer + endpoints.getTokenEndpoint(),
				issuer + endpoints.getTokenIntrospectionEndpoint(), issuer + endpoints.getTokenRevocationEndpoint(),
				issuer + endpoints.getPushedAuthorizationRequestEndpoint());
	}

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		Objects.requireNonNull(client, "client must not be null");
		String jwkSetUrl = client.getClientSettings().getJwkSetUrl();
		if (jwkSetUrl == null || jwkSetUrl.isBlank()) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
					"Client '" + client.getClientId() + "' has no JWK Set URL for private_key_jwt", ERROR_URI));
		}
		return this.decoders.computeIfAbsent(client.getId(), (id) -> decoder(client, jwkSetUrl));
	}

	private JwtDecoder decoder(RegisteredClient client, String jwkSetUrl) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUrl)
			.jwsAlgorithm(SignatureAlgorithm.RS256)
			.jwsAlgorithm(SignatureAlgorithm.ES256)
			.build();
		String clientId = client.getClientId();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(60));
		timestamps.setClock(this.clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
				new JwtClaimValidator<Object>(JwtClaimNames.ISS, clientId::equals),
				new JwtClaimValidator<Object>(JwtClaimNames.SUB, clientId::equals),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						(audience) -> audience != null && audience.stream().anyMatch(this.audiences::contains)),
				new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull), timestamps));
		return decoder;
	}

}
