package dev.gatehouse.server.credentials;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.core.secret.Secret;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2): a one-minute JWT signed with the gateway's own
 * RSA key, {@code iss} = {@code sub} = the client id, {@code aud} = the authorization server's issuer and token
 * endpoint, a fresh {@code jti}. The key is created on first use, sealed in the vault, and shared by every
 * instance; its public half is served at {@code /oauth/jwks} for authorization servers to register.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7523#section-3">RFC 7523 §3</a>
 */
@Component
final class ClientAssertions {

	static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final String OWNER = "gatehouse";

	private static final String KIND = "client_signing_key";

	private final VaultSecrets vault;

	private final Clock clock;

	private volatile @Nullable RSAKey key;

	ClientAssertions(VaultSecrets vault, Clock clock) {
		this.vault = vault;
		this.clock = clock;
	}

	/** The form parameters that authenticate the client. */
	Map<String, String> parameters(String clientId, @Nullable String issuer, URI tokenEndpoint) {
		Instant now = clock.instant();
		List<String> audience = new ArrayList<>();
		if (issuer != null) {
			audience.add(issuer);
		}
		audience.add(tokenEndpoint.toString());
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId)
			.subject(clientId)
			.audience(audience)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(60)))
			.build();
		RSAKey signing = key();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(signing));
			return Map.of("client_assertion_type", ASSERTION_TYPE, "client_assertion", jwt.serialize());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("signing the client assertion failed", ex);
		}
	}

	/** The public JWK set, for {@code /oauth/jwks}. */
	Map<String, Object> publicJwks() {
		return new JWKSet(key().toPublicJWK()).toJSONObject(true);
	}

	private RSAKey key() {
		RSAKey current = key;
		if (current != null) {
			return current;
		}
		synchronized (this) {
			if (key == null) {
				key = vault.get(OWNER, KIND).map(ClientAssertions::parse).orElseGet(this::create);
			}
			return key;
		}
	}

	private RSAKey create() {
		try {
			RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyIDFromThumbprint(true)
				.generate();
			try {
				if (!vault.exists(OWNER, KIND)) {
					vault.put(OWNER, KIND, Secret.of(generated.toJSONString()), null);
					return generated;
				}
			}
			catch (DuplicateKeyException ex) {
				// Another instance stored one at the same moment: use theirs.
			}
			return vault.get(OWNER, KIND).map(ClientAssertions::parse).orElseThrow();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("generating the client signing key failed", ex);
		}
	}

	private static RSAKey parse(Secret json) {
		try {
			return RSAKey.parse(json.reveal());
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException("the stored client signing key is not a JWK");
		}
	}
}
