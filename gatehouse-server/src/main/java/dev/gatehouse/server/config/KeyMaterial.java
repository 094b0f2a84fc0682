package dev.gatehouse.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

import dev.gatehouse.core.crypto.KeyRing;
import dev.gatehouse.core.crypto.MasterKey;
import org.jspecify.annotations.Nullable;

/**
 * Loads the master key at start-up: from the environment variable {@code GATEHOUSE_MASTER_KEY}, or from
 * {@code gatehouse.vault.master-key-file}. The gateway never generates one; only the demo launcher does.
 * <p>
 * A key's id is the first four bytes of its SHA-256 digest, so every instance given the same key agrees on its
 * id without coordination, and a new key gets a new id.
 */
public final class KeyMaterial {

	/** The environment variable holding the base64 master key. */
	public static final String ENV = "GATEHOUSE_MASTER_KEY";

	/** The environment variable holding the master key being replaced, during a master key change. */
	public static final String PREVIOUS_ENV = "GATEHOUSE_PREVIOUS_MASTER_KEY";

	private KeyMaterial() {
	}

	/**
	 * @param envValue the value of {@code GATEHOUSE_MASTER_KEY}, or {@code null}
	 * @param keyFile the configured key file, or {@code null}
	 * @throws IllegalStateException naming what to set, never echoing a value
	 */
	public static KeyRing load(@Nullable String envValue, @Nullable Path keyFile) {
		if (envValue != null && !envValue.isBlank()) {
			return ring(MasterKey.decode(envValue, ENV));
		}
		if (keyFile != null) {
			return ring(MasterKey.decode(read(keyFile), "the master key file " + keyFile));
		}
		throw new IllegalStateException("No master key: set " + ENV
				+ " to the base64 of 32 random bytes (for example: openssl rand -base64 32), "
				+ "or set gatehouse.vault.master-key-file to a file holding it");
	}

	/**
	 * The master key ring: the current key, plus the previous one while a master key change is in progress (it
	 * still opens, never seals). The vault re-wraps its data keys under the current key at start-up, after which
	 * the previous key can be removed from the configuration.
	 */
	public static KeyRing load(@Nullable String envValue, @Nullable Path keyFile, @Nullable String previousEnvValue,
			@Nullable Path previousKeyFile) {
		KeyRing current = load(envValue, keyFile);
		byte[] previous = null;
		if (previousEnvValue != null && !previousEnvValue.isBlank()) {
			previous = MasterKey.decode(previousEnvValue, PREVIOUS_ENV);
		}
		else if (previousKeyFile != null) {
			previous = MasterKey.decode(read(previousKeyFile), "the previous master key file " + previousKeyFile);
		}
		if (previous == null) {
			return current;
		}
		int id = keyId(previous);
		if (id == current.currentId()) {
			return current;
		}
		return KeyRing.of(id, previous).withCurrent(current.currentId(), currentBytes(envValue, keyFile));
	}

	private static byte[] currentBytes(@Nullable String envValue, @Nullable Path keyFile) {
		return (envValue != null && !envValue.isBlank()) ? MasterKey.decode(envValue, ENV)
				: MasterKey.decode(read(Objects.requireNonNull(keyFile)), "the master key file " + keyFile);
	}

	private static String read(Path keyFile) {
		try {
			return Files.readString(keyFile, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the master key file " + keyFile + ": " + ex.getMessage());
		}
	}

	private static KeyRing ring(byte[] key) {
		Objects.requireNonNull(key, "key must not be null");
		return KeyRing.of(keyId(key), key);
	}

	static int keyId(byte[] key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
			return ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
					| (digest[3] & 0xff);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}
}
