package dev.gatehouse.demo.idp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A PKCE code verifier and its S256 challenge. The challenge can only be derived from the
 * verifier ({@link #s256(String)}), never set.
 *
 * @param verifier the code verifier: 43 characters of base64url (32 random bytes)
 * @param challenge {@code BASE64URL(SHA-256(verifier))}
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7636#section-4.1">RFC 7636
 * section 4.1-4.2</a>
 */
record Pkce(String verifier, String challenge) {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	static Pkce generate(SecureRandom random) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return s256(BASE64URL.encodeToString(bytes));
	}

	static Pkce s256(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return new Pkce(verifier, BASE64URL.encodeToString(digest));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	@Override
	public String toString() {
		return "Pkce[challenge=" + this.challenge + "]";
	}

}
