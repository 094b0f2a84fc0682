package dev.gatehouse.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;

/**
 * Ed25519 signatures (RFC 8032) for records that outsiders must be able to check with a published public key,
 * such as the audit trail's daily checkpoints. Keys travel as their standard encodings: PKCS#8 for the private
 * key, X.509 SubjectPublicKeyInfo for the public key. Thread-safe (stateless).
 */
public final class Ed25519 {

	private static final String ALGORITHM = "Ed25519";

	private Ed25519() {
	}

	/** A new key pair: {@code [PKCS#8 private key, X.509 public key]}. */
	public static byte[][] generate() {
		try {
			KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
			return new byte[][] { pair.getPrivate().getEncoded(), pair.getPublic().getEncoded() };
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 is part of every JDK since 15", ex);
		}
	}

	public static byte[] sign(byte[] privateKey, byte[] data) {
		Objects.requireNonNull(data, "data must not be null");
		try {
			PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(privateKey));
			Signature signature = Signature.getInstance(ALGORITHM);
			signature.initSign(key);
			signature.update(data);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("cannot sign with Ed25519: " + ex.getClass().getSimpleName());
		}
	}

	/** Whether {@code signature} is a valid Ed25519 signature of {@code data} by {@code publicKey}. */
	public static boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
		try {
			PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(publicKey));
			Signature verifier = Signature.getInstance(ALGORITHM);
			verifier.initVerify(key);
			verifier.update(data);
			return verifier.verify(signature);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}
}
