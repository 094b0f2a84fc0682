package dev.gatehouse.core.oauth;

/**
 * Metadata (RFC 8414, RFC 9728, RFC 7591 responses) that the gateway refuses to use. The message names the
 * document and the member at fault.
 */
public final class InvalidMetadataException extends RuntimeException {

	public InvalidMetadataException(String message) {
		super(message, null, false, false);
	}
}
