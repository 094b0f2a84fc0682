package dev.gatehouse.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value: an API key, a client secret, a token. {@link #toString()} never shows it; the value is
 * reached only through {@link #reveal()}, so every use is visible in review.
 */
public final class Secret {

	private final byte[] value;

	private Secret(byte[] value) {
		this.value = value;
	}

	public static Secret of(String value) {
		Objects.requireNonNull(value, "value must not be null");
		return new Secret(value.getBytes(StandardCharsets.UTF_8));
	}

	/** The secret as text. Call it only where the value leaves for its destination. */
	public String reveal() {
		return new String(value, StandardCharsets.UTF_8);
	}

	public byte[] revealBytes() {
		return value.clone();
	}

	public boolean isEmpty() {
		return value.length == 0;
	}

	/** Constant-time comparison. */
	public boolean matches(Secret other) {
		return MessageDigest.isEqual(value, other.value);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Secret s && matches(s);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(value);
	}

	@Override
	public String toString() {
		return "[REDACTED]";
	}
}
