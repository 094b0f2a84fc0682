package dev.gatehouse.demo.host;

import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Checks an RFC 9068 JWT access token for one resource, in this order: a signed JWT
 * ({@code alg: none} refused), algorithm RS256 or ES256, {@code typ} {@code at+jwt} or
 * {@code JWT}, {@code iss} equal to the trusted issuer, the signature by one of the
 * issuer's keys, {@code aud} naming the resource, {@code exp} present and not passed and
 * {@code nbf} (if any) reached, by the settings' clock with 60 seconds of skew. The issuer
 * is checked before the signature so that a token of another issuer is reported as such
 * without fetching keys for it. Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068#section-4">RFC 9068 section
 * 4</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8725#section-3.1">RFC 8725
 * section 3.1 (algorithm verification)</a>
 */
final class AccessTokenVerifier {

	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final Set<String> TYPES = Set.of("at+jwt", "application/at+jwt", "jwt");

	private final BearerTokenSettings settings;

	private final IssuerKeys keys;

	AccessTokenVerifier(BearerTokenSettings settings) {
		this.settings = settings;
		this.keys = new IssuerKeys(settings.issuer(), settings.jwkSetUri());
	}

	/**
	 * The outcome for one token.
	 *
	 * @param claims the claims, once signature and issuer are verified; else {@code null}
	 * @param rejection {@code null} if accepted, else the {@link ObservedToken} reason
	 * @param description why, for {@code error_description}: no quotes or backslashes
	 */
	record Verification(@Nullable JWTClaimsSet claims, @Nullable String rejection, String description) {

		static Verification accepted(JWTClaimsSet claims) {
			return new Verification(claims, null, "");
		}

		static Verification rejected(@Nullable JWTClaimsSet claims, String rejection, String description) {
			return new Verification(claims, rejection, description);
		}

	}

	Verification verify(String token, String resource) {
		JWT jwt;
		try {
			jwt = JWTParser.parse(token);
		}
		catch (ParseException ex) {
			return Verification.rejected(null, "malformed", "The access token is not a JWT");
		}
		if (jwt instanceof PlainJWT) {
			return Verification.rejected(null, "signature", "Unsigned access tokens (alg none) are refused");
		}
		if (!(jwt instanceof SignedJWT signed)) {
			return Verification.rejected(null, "malformed", "The access token is not a signed JWT");
		}
		return verifySigned(signed, resource);
	}

	private Verification verifySigned(SignedJWT jwt, String resource) {
		JWSHeader header = jwt.getHeader();
		if (!IssuerKeys.isAccepted(header.getAlgorithm())) {
			return Verification.rejected(null, "signature", "The access token algorithm is not RS256 or ES256");
		}
		if (!isAccessTokenType(header.getType())) {
			return Verification.rejected(null, "type", "The access token typ is not at+jwt or JWT");
		}
		JWTClaimsSet claims;
		try {
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			return Verification.rejected(null, "malformed", "The access token claims are not a JSON object");
		}
		if (!this.settings.issuer().equals(claims.getIssuer())) {
			return Verification.rejected(null, "issuer",
					"The access token was not issued by " + this.settings.issuer());
		}
		Verification signature = verifySignature(jwt);
		if (signature != null) {
			return signature;
		}
		return verifyClaims(claims, resource);
	}

	private @Nullable Verification verifySignature(SignedJWT jwt) {
		List<JWK> candidates;
		try {
			candidates = this.keys.candidates(jwt.getHeader());
		}
		catch (IOException ex) {
			return Verification.rejected(null, "keys_unavailable", "The signing keys of the issuer are unavailable");
		}
		for (JWK key : candidates) {
			try {
				if (jwt.verify(verifier(key))) {
					return null;
				}
			}
			catch (JOSEException ex) {
				// not this key
			}
		}
		return Verification.rejected(null, "signature", "The access token signature is invalid");
	}

	private static JWSVerifier verifier(JWK key) throws JOSEException {
		return (key instanceof ECKey ec) ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) key);
	}

	private Verification verifyClaims(JWTClaimsSet claims, String resource) {
		if (claims.getAudience() == null || !claims.getAudience().contains(resource)) {
			return Verification.rejected(claims, "audience", "The access token audience does not include " + resource);
		}
		Instant now = this.settings.clock().instant();
		Date expiresAt = claims.getExpirationTime();
		if (expiresAt == null) {
			return Verification.rejected(claims, "malformed", "The access token has no exp");
		}
		if (now.minus(CLOCK_SKEW).isAfter(expiresAt.toInstant())) {
			return Verification.rejected(claims, "expired", "The access token expired");
		}
		Date notBefore = claims.getNotBeforeTime();
		if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore.toInstant())) {
			return Verification.rejected(claims, "not_yet_valid", "The access token is not valid yet");
		}
		if (claims.getSubject() == null) {
			return Verification.rejected(claims, "malformed", "The access token has no sub");
		}
		return Verification.accepted(claims);
	}

	private static boolean isAccessTokenType(@Nullable JOSEObjectType type) {
		return type != null && TYPES.contains(type.getType().toLowerCase(Locale.ROOT));
	}

}
