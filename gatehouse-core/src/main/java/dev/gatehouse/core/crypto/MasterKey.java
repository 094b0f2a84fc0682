package dev.gatehouse.core.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * Reads a 32-byte master key from its base64 text form, naming what is wrong without ever echoing the value.
 */
public final class MasterKey {

	private MasterKey() {
	}

	/**
	 * @param base64 standard or URL-safe base64 of exactly 32 bytes; surrounding whitespace is ignored
	 * @param source where the value came from, for the error message (e.g. {@code GATEHOUSE_MASTER_KEY})
	 */
	public static byte[] decode(String base64, String source) {
		String trimmed = base64.strip();
		byte[] bytes;
		try {
			bytes = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
					: Base64.getDecoder().decode(trimmed);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(source + " is not valid base64");
		}
		if (bytes.length != 32) {
			int length = bytes.length;
			Arrays.fill(bytes, (byte) 0);
			throw new IllegalArgumentException(
					source + " must decode to 32 bytes (AES-256), but decodes to " + length + " bytes");
		}
		return bytes;
	}
}
