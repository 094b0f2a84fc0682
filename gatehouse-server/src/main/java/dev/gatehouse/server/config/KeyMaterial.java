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
