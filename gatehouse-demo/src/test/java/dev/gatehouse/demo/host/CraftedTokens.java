package dev.gatehouse.demo.host;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens made by the test itself, signed with a key it also gave the identity
 * provider (or with a stranger key), to reach the rejection branches a real provider
 * never produces.
 */
final class CraftedTokens {

	private CraftedTokens() {
	}

	static RSAKey key(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static JWTClaimsSet.Builder claims(String issuer, String audience, Instant issuedAt) {
		return new JWTClaimsSet.Builder().issuer(issuer)
			.subject("mallory")
			.audience(List.of(audience))
			.claim("client_id", "crafted-client")
			.claim("scope", "count:call")
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(issuedAt))
			.notBeforeTime(Date.from(issuedAt))
			.expirationTime(Date.from(issuedAt.plusSeconds(300)));
	}

	static String signed(RSAKey key, @Nullable String type, JWTClaimsSet claims) {
		JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID());
		if (type != null) {
			header.type(new JOSEObjectType(type));
		}
		SignedJWT jwt = new SignedJWT(header.build(), claims);
		try {
			jwt.sign(new RSASSASigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	static String unsigned(JWTClaimsSet claims) {
		return new PlainJWT(claims).serialize();
	}

}
