package dev.gatehouse.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA-256 (RFC 5869), used once per key at start-up, never on a request path.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5869">RFC 5869</a>
 */
final class Hkdf {

	private static final byte[] SALT = "gatehouse-hkdf-v1".getBytes(StandardCharsets.US_ASCII);

	private Hkdf() {
	}

	static byte[] derive(byte[] inputKey, String info, int length) {
		if (length > 255 * 32) {
			throw new IllegalArgumentException("length too large for HKDF-SHA-256");
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
			byte[] prk = mac.doFinal(inputKey);
			mac.init(new SecretKeySpec(prk, "HmacSHA256"));
			byte[] out = new byte[length];
			byte[] block = new byte[0];
			byte[] infoBytes = info.getBytes(StandardCharsets.UTF_8);
			int offset = 0;
			for (int counter = 1; offset < length; counter++) {
				mac.update(block);
				mac.update(infoBytes);
				mac.update((byte) counter);
				block = mac.doFinal();
				int n = Math.min(block.length, length - offset);
				System.arraycopy(block, 0, out, offset, n);
				offset += n;
			}
			return out;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA-256 is always available", ex);
		}
	}
}
