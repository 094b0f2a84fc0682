package dev.gatehouse.core.crypto;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Versioned 256-bit AES keys: one current key that seals, and older keys that still open. Immutable and
 * thread-safe; rotation builds a new ring.
 */
public final class KeyRing {

	private final Map<Integer, SecretKey> keys;

	private final int currentId;

	private KeyRing(Map<Integer, SecretKey> keys, int currentId) {
		this.keys = Collections.unmodifiableMap(new TreeMap<>(keys));
		this.currentId = currentId;
		if (!this.keys.containsKey(currentId)) {
			throw new IllegalArgumentException("the current key id " + currentId + " is not in the ring");
		}
	}

	/** A ring holding one key. @param keyBytes must be 32 bytes */
	public static KeyRing of(int id, byte[] keyBytes) {
		return new KeyRing(Map.of(id, aesKey(keyBytes)), id);
	}

	/** A ring with this key added and made current; the old keys still open. */
	public KeyRing withCurrent(int id, byte[] keyBytes) {
		Map<Integer, SecretKey> next = new TreeMap<>(keys);
		next.put(id, aesKey(keyBytes));
		return new KeyRing(next, id);
	}

	/** A ring without a retired key. The current key cannot be removed. */
	public KeyRing without(int id) {
		if (id == currentId) {
			throw new IllegalArgumentException("the current key cannot be removed");
		}
		Map<Integer, SecretKey> next = new TreeMap<>(keys);
		next.remove(id);
		return new KeyRing(next, currentId);
	}

	public int currentId() {
		return currentId;
	}

	SecretKey current() {
		return keys.get(currentId);
	}

	SecretKey key(int id) {
		SecretKey key = keys.get(id);
		if (key == null) {
			throw new CryptoException("sealed with key " + id + ", which this gateway does not hold");
		}
		return key;
	}

	public boolean contains(int id) {
		return keys.containsKey(id);
	}

	/** Derives a ring for one purpose: every key is replaced by its HKDF derivation for {@code purpose}. */
	public KeyRing derive(String purpose) {
		Objects.requireNonNull(purpose, "purpose must not be null");
		Map<Integer, SecretKey> derived = new TreeMap<>();
		keys.forEach((id, key) -> derived.put(id, aesKey(Hkdf.derive(key.getEncoded(), purpose, 32))));
		return new KeyRing(derived, currentId);
	}

	private static SecretKey aesKey(byte[] bytes) {
		Objects.requireNonNull(bytes, "keyBytes must not be null");
		if (bytes.length != 32) {
			throw new IllegalArgumentException("an AES-256 key is 32 bytes, not " + bytes.length);
		}
		SecretKey key = new SecretKeySpec(bytes, "AES");
		Arrays.fill(bytes, (byte) 0);
		return key;
	}

	@Override
	public String toString() {
		return "KeyRing[ids=" + keys.keySet() + ", current=" + currentId + "]";
	}
}
