package dev.gatehouse.core.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Associated data that binds a ciphertext to the record it belongs to: a purpose and the owner's fields, each
 * length-prefixed so that no two different owners encode alike ({@code ("ab","c")} ≠ {@code ("a","bc")}).
 * <pre>{@code
 * byte[] aad = Aad.of("grant-v1", issuer, subject, target, "refresh_token");
 * }</pre>
 */
public final class Aad {

	private Aad() {
	}

	/** @param parts the purpose first, then the owner's fields; none may be {@code null} */
	public static byte[] of(String... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (String part : parts) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			out.write((bytes.length >>> 24) & 0xff);
			out.write((bytes.length >>> 16) & 0xff);
			out.write((bytes.length >>> 8) & 0xff);
			out.write(bytes.length & 0xff);
			out.write(bytes, 0, bytes.length);
		}
		return out.toByteArray();
	}
}
