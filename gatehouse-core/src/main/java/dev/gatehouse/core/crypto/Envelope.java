package dev.gatehouse.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens AES-256-GCM envelopes ({@code 0x01 || keyId || nonce || ciphertext || tag}) with a fresh
 * random 96-bit nonce per seal. Thread-safe.
 *
 * @see <a href="https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf">NIST SP
 * 800-38D</a>
 */
public final class Envelope {

	/** The format byte of version-1 envelopes. */
	public static final byte VERSION_1 = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final int HEADER_BYTES = 1 + 4 + NONCE_BYTES;

	/** The bytes an envelope adds to its plaintext. */
	public static final int OVERHEAD = HEADER_BYTES + TAG_BITS / 8;

	private final KeyRing keys;

	private final SecureRandom random;

	public Envelope(KeyRing keys) {
		this(keys, new SecureRandom());
	}

	public Envelope(KeyRing keys, SecureRandom random) {
		this.keys = Objects.requireNonNull(keys, "keys must not be null");
		this.random = Objects.requireNonNull(random, "random must not be null");
	}

	public KeyRing keys() {
		return keys;
	}

	/**
	 * Seals {@code plaintext} under the current key, bound to {@code aad}.
	 * @param aad what the ciphertext belongs to; the same bytes are needed to open it
	 */
	public byte[] seal(byte[] plaintext, byte[] aad) {
		byte[] nonce = new byte[NONCE_BYTES];
		random.nextBytes(nonce);
		int keyId = keys.currentId();
		byte[] out = new byte[HEADER_BYTES + plaintext.length + TAG_BITS / 8];
		ByteBuffer.wrap(out).put(VERSION_1).putInt(keyId).put(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(header(out));
			cipher.updateAAD(aad);
			cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES);
			return out;
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("AES-GCM sealing failed", ex);
		}
	}

	/**
	 * Opens an envelope sealed for {@code aad}.
	 * @throws CryptoException if it is malformed, tampered with, bound to other AAD, or sealed with an unknown key
	 */
	public byte[] open(byte[] envelope, byte[] aad) {
		if (envelope.length < OVERHEAD || envelope[0] != VERSION_1) {
			throw new CryptoException("not a version-1 envelope");
		}
		ByteBuffer buffer = ByteBuffer.wrap(envelope);
		buffer.get();
		int keyId = buffer.getInt();
		byte[] nonce = new byte[NONCE_BYTES];
		buffer.get(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(header(envelope));
			cipher.updateAAD(aad);
			return cipher.doFinal(envelope, HEADER_BYTES, envelope.length - HEADER_BYTES);
		}
		catch (AEADBadTagException ex) {
			throw new CryptoException("the envelope does not verify: tampered, or bound to another owner");
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("AES-GCM opening failed", ex);
		}
	}

	/** The key id an envelope was sealed with, without opening it. */
	public static int keyId(byte[] envelope) {
		if (envelope.length < OVERHEAD || envelope[0] != VERSION_1) {
			throw new CryptoException("not a version-1 envelope");
		}
		return ByteBuffer.wrap(envelope, 1, 4).getInt();
	}

	private static byte[] header(byte[] envelope) {
		byte[] header = new byte[1 + 4];
		System.arraycopy(envelope, 0, header, 0, header.length);
		return header;
	}
}
