package dev.gatehouse.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

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

	/** Most ciphers kept: enough for every core and then some; beyond that they are left to the collector. */
	private static final int MAX_POOLED = 64;

	private static final int HEADER_BYTES = 1 + 4 + NONCE_BYTES;

	/** The bytes an envelope adds to its plaintext. */
	public static final int OVERHEAD = HEADER_BYTES + TAG_BITS / 8;

	private final KeyRing keys;

	private final SecureRandom random;

	private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();

	/** How many ciphers the pool holds (about: it is updated next to the queue, not with it). */
	private final AtomicInteger pooled = new AtomicInteger();

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
			Cipher cipher = borrow();
			cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(out, 0, HEADER_BYTES - NONCE_BYTES);
			cipher.updateAAD(aad);
			cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES);
			giveBack(cipher);
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
			Cipher cipher = borrow();
			cipher.init(Cipher.DECRYPT_MODE, keys.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(envelope, 0, HEADER_BYTES - NONCE_BYTES);
			cipher.updateAAD(aad);
			byte[] plaintext = cipher.doFinal(envelope, HEADER_BYTES, envelope.length - HEADER_BYTES);
			giveBack(cipher);
			return plaintext;
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

	/**
	 * A {@code Cipher} from the pool, or a new one. {@code Cipher.getInstance} walks the provider list on every call
	 * (about half of the cost of opening a session id); a pooled one is only re-initialised, with its own key and a
	 * fresh nonce each time, so no state carries over. A cipher whose operation failed is not given back.
	 */
	private Cipher borrow() throws GeneralSecurityException {
		Cipher cipher = ciphers.poll();
		if (cipher == null) {
			return Cipher.getInstance("AES/GCM/NoPadding");
		}
		pooled.decrementAndGet();
		return cipher;
	}

	private void giveBack(Cipher cipher) {
		if (pooled.incrementAndGet() <= MAX_POOLED) {
			ciphers.offer(cipher);
		}
		else {
			pooled.decrementAndGet();
		}
	}
}
