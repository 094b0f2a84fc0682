package dev.gatehouse.core.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Unguessable values (PKCE verifiers, {@code state}, consent request ids) and the one-way hash under which the
 * gateway stores the ones it must recognise later, so that a database dump does not hand them out.
 */
public final class RandomTokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private RandomTokens() {
	}

	/** {@code bytes} random bytes as unpadded base64url. @param bytes at least 16 (128 bits) */
	public static String generate(int bytes) {
		if (bytes < 16) {
			throw new IllegalArgumentException("at least 16 random bytes are needed, not " + bytes);
		}
		byte[] value = new byte[bytes];
		RANDOM.nextBytes(value);
		return BASE64URL.encodeToString(value);
	}

	/** The lower-case hex SHA-256 of the UTF-8 text: what is stored instead of the value. */
	public static String sha256Hex(String value) {
		return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
	}

	static byte[] sha256(byte[] value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	/** Constant-time comparison of two texts (for values derived from secrets). */
	public static boolean constantTimeEquals(String a, String b) {
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}

	static String base64url(byte[] bytes) {
		return BASE64URL.encodeToString(bytes);
	}
}
