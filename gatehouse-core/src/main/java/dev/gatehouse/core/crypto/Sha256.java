package dev.gatehouse.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests for the hot path. {@code MessageDigest.getInstance} looks the algorithm up in the security
 * providers on every call (about 1 µs, several times per tool call); a clone of a never-used prototype is a copy
 * of its initial state. The prototype is never updated, so cloning it from many threads is safe.
 */
public final class Sha256 {

	private static final MessageDigest PROTOTYPE = create();

	private static final boolean CLONEABLE = cloneable();

	private Sha256() {
	}

	/** A fresh SHA-256 digest, owned by the caller. */
	public static MessageDigest newDigest() {
		if (CLONEABLE) {
			try {
				return (MessageDigest) PROTOTYPE.clone();
			}
			catch (CloneNotSupportedException ex) {
				// not for the JDK's SHA-256; falls through
			}
		}
		return create();
	}

	/** The SHA-256 of {@code input}. */
	public static byte[] digest(byte[] input) {
		return newDigest().digest(input);
	}

	private static MessageDigest create() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	private static boolean cloneable() {
		try {
			PROTOTYPE.clone();
			return true;
		}
		catch (CloneNotSupportedException ex) {
			return false;
		}
	}
}
