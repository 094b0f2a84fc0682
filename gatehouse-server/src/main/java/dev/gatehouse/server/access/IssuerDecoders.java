package dev.gatehouse.server.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.egress.EgressPolicy;
import dev.gatehouse.server.egress.EgressRestClients;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestTemplate;

/**
 * One JWT decoder per trusted issuer, built on first use (the gateway starts even when an identity provider is
 * down). Keys come from the issuer's JWKS, found through its metadata, cached, and refetched when a token names
 * a key id the cache does not hold (key rotation). Each decoder checks the signature (asymmetric algorithms
 * only, so {@code alg: none} and HMAC tokens are refused), the issuer, the audience, {@code exp} and
 * {@code nbf} with the configured skew, and {@code typ} ({@code JWT}, {@code at+jwt} or absent, RFC 9068).
 */
@Component
final class IssuerDecoders {

	private final AccessSettings settings;

	private final RestTemplate http;

	private final Clock clock;

	private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

	IssuerDecoders(AccessSettings settings, EgressPolicy egress, Clock clock) {
		this.settings = settings;
		this.http = EgressRestClients.restTemplate(egress, Duration.ofSeconds(10));
		this.clock = clock;
	}

	/** The decoder for a trusted issuer, or {@code null} when the issuer is not trusted. */
	@Nullable JwtDecoder forIssuer(String issuer) {
		GatehouseProperties.Issuer trusted = settings.issuer(issuer);
		if (trusted == null) {
			return null;
		}
		return decoders.computeIfAbsent(issuer, (i) -> build(trusted));
	}

	private JwtDecoder build(GatehouseProperties.Issuer issuer) {
		NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = (issuer.jwkSetUri() != null)
				? NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri().toString())
				: NimbusJwtDecoder.withIssuerLocation(issuer.issuerUri().toString());
		NimbusJwtDecoder decoder = builder.restOperations(http)
			.validateType(false)
			.jwsAlgorithms((algorithms) -> algorithms.addAll(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
					SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512,
					SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512)))
			.build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(settings.clockSkew());
		timestamps.setClock(clock);
		timestamps.setAllowEmptyExpiryClaim(false);
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(true);
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(type);
		validators.add(timestamps);
		validators.add(new JwtIssuerValidator(issuer.issuerUri().toString()));
		validators.add(this::audience);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

	private OAuth2TokenValidatorResult audience(Jwt jwt) {
		List<String> audience = jwt.getAudience();
		if (audience != null) {
			for (String expected : settings.audiences()) {
				if (audience.contains(expected)) {
					return OAuth2TokenValidatorResult.success();
				}
			}
		}
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
				"the token's audience is not this gateway (expected " + String.join(" or ", settings.audiences()) + ")",
				null));
	}

	/** Forgets built decoders (their cached keys), for tests of key rotation. */
	void reset() {
		decoders.clear();
	}

	Instant now() {
		return clock.instant();
	}
}
