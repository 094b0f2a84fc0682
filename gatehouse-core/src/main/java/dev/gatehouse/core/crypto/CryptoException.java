package dev.gatehouse.core.crypto;

/**
 * An envelope that does not open: tampered, truncated, bound to another owner, or sealed with an unknown key.
 * The message never contains key material or plaintext.
 */
public final class CryptoException extends RuntimeException {

	public CryptoException(String message) {
		super(message);
	}

	public CryptoException(String message, Throwable cause) {
		super(message, cause);
	}
}
