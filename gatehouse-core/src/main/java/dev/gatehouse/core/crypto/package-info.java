/**
 * All of the gateway's cryptography: the AES-256-GCM envelope, the versioned key ring, and key derivation.
 * No other package creates a {@link javax.crypto.Cipher}.
 * <p>
 * Envelope format, version 1: {@code 0x01 || keyId (4 bytes, big-endian) || nonce (12 bytes) || ciphertext ||
 * tag (16 bytes)}. The associated data (AAD) is supplied by the caller and binds each ciphertext to the record
 * it belongs to, so a ciphertext moved to another record does not open.
 */
@NullMarked
package dev.gatehouse.core.crypto;

import org.jspecify.annotations.NullMarked;
