package dev.gatehouse.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTests {

	private static final byte[] PLAINTEXT = "refresh-token-8c1f0e".getBytes(StandardCharsets.UTF_8);

	private static final byte[] AAD = "vault:user-1:target-docs".getBytes(StandardCharsets.UTF_8);

	private static final int HEADER = 1 + 4 + 12;

	private final Envelope envelope = new Envelope(KeyRing.of(1, key(0x11)));

	@Test
	void openWhenSealedWithSameRingAndAadThenPlaintext() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		assertThat(envelope.open(sealed, AAD)).isEqualTo(PLAINTEXT);
	}

	@Test
	void sealWhenCalledThenVersionKeyIdAndOverheadInFormat() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		assertThat(sealed).hasSize(PLAINTEXT.length + Envelope.OVERHEAD);
		assertThat(Envelope.OVERHEAD).isEqualTo(HEADER + 16);
		assertThat(sealed[0]).isEqualTo(Envelope.VERSION_1);
		assertThat(ByteBuffer.wrap(sealed, 1, 4).getInt()).isEqualTo(1);
		assertThat(Envelope.keyId(sealed)).isEqualTo(1);
		assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("refresh-token");
	}

	@Test
	void sealWhenSamePlaintextTwiceThenDifferentNonceAndCiphertext() {
		byte[] first = envelope.seal(PLAINTEXT, AAD);
		byte[] second = envelope.seal(PLAINTEXT, AAD);

		assertThat(Arrays.copyOfRange(first, 5, HEADER)).isNotEqualTo(Arrays.copyOfRange(second, 5, HEADER));
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void sealWhenManyTimesThenNoncesDistinct() {
		Set<ByteBuffer> nonces = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			nonces.add(ByteBuffer.wrap(Arrays.copyOfRange(envelope.seal(PLAINTEXT, AAD), 5, HEADER)));
		}

		assertThat(nonces).hasSize(200);
	}

	@Test
	void sealWhenRandomSuppliedThenNonceComesFromIt() {
		SecureRandom fixed = new SecureRandom() {
			@Override
			public void nextBytes(byte[] bytes) {
				Arrays.fill(bytes, (byte) 0x5a);
			}
		};
		Envelope deterministic = new Envelope(KeyRing.of(3, key(0x22)), fixed);

		byte[] sealed = deterministic.seal(PLAINTEXT, AAD);

		byte[] nonce = new byte[12];
		Arrays.fill(nonce, (byte) 0x5a);
		assertThat(Arrays.copyOfRange(sealed, 5, HEADER)).isEqualTo(nonce);
		assertThat(deterministic.open(sealed, AAD)).isEqualTo(PLAINTEXT);
	}

	@Test
	void openWhenEmptyPlaintextThenEmpty() {
		byte[] sealed = envelope.seal(new byte[0], AAD);

		assertThat(sealed).hasSize(Envelope.OVERHEAD);
		assertThat(envelope.open(sealed, AAD)).isEmpty();
	}

	@Test
	void openWhenEmptyAadOnBothSidesThenPlaintext() {
		assertThat(envelope.open(envelope.seal(PLAINTEXT, new byte[0]), new byte[0])).isEqualTo(PLAINTEXT);
	}

	@Test
	void openWhenLargePlaintextThenPlaintext() {
		byte[] large = new byte[1 << 20];
		new SecureRandom().nextBytes(large);

		assertThat(envelope.open(envelope.seal(large, AAD), AAD)).isEqualTo(large);
	}

	@Test
	void openWhenAnyCiphertextByteFlippedThenCryptoException() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		for (int i = HEADER; i < sealed.length - 16; i++) {
			byte[] tampered = flip(sealed, i);
			assertThatThrownBy(() -> envelope.open(tampered, AAD)).as("ciphertext byte %d", i)
				.isInstanceOf(CryptoException.class)
				.hasMessage("the envelope does not verify: tampered, or bound to another owner");
		}
	}

	@Test
	void openWhenAnyNonceByteFlippedThenCryptoException() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		for (int i = 5; i < HEADER; i++) {
			byte[] tampered = flip(sealed, i);
			assertThatThrownBy(() -> envelope.open(tampered, AAD)).as("nonce byte %d", i)
				.isInstanceOf(CryptoException.class)
				.hasMessageContaining("does not verify");
		}
	}

	@Test
	void openWhenAnyTagByteFlippedThenCryptoException() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		for (int i = sealed.length - 16; i < sealed.length; i++) {
			byte[] tampered = flip(sealed, i);
			assertThatThrownBy(() -> envelope.open(tampered, AAD)).as("tag byte %d", i)
				.isInstanceOf(CryptoException.class)
				.hasMessageContaining("does not verify");
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4 })
	void openWhenKeyIdByteFlippedToUnknownKeyThenCryptoExceptionNamingKeyId(int index) {
		byte[] tampered = flip(envelope.seal(PLAINTEXT, AAD), index);
		int flippedId = ByteBuffer.wrap(tampered, 1, 4).getInt();

		assertThatThrownBy(() -> envelope.open(tampered, AAD)).isInstanceOf(CryptoException.class)
			.hasMessage("sealed with key " + flippedId + ", which this gateway does not hold");
	}

	@Test
	void openWhenKeyIdChangedToAnotherHeldKeyThenCryptoException() {
		KeyRing ring = KeyRing.of(1, key(0x11)).withCurrent(2, key(0x22));
		Envelope both = new Envelope(ring);
		byte[] sealed = both.seal(PLAINTEXT, AAD);
		ByteBuffer.wrap(sealed).putInt(1, 1);

		assertThatThrownBy(() -> both.open(sealed, AAD)).isInstanceOf(CryptoException.class)
			.hasMessageContaining("does not verify");
	}

	@Test
	void openWhenKeyIdChangedToIdOfSameKeyMaterialThenCryptoExceptionBecauseHeaderIsAuthenticated() {
		KeyRing ring = KeyRing.of(1, key(0x11)).withCurrent(2, key(0x11));
		Envelope sameKeys = new Envelope(ring);
		byte[] sealed = sameKeys.seal(PLAINTEXT, AAD);
		ByteBuffer.wrap(sealed).putInt(1, 1);

		assertThatThrownBy(() -> sameKeys.open(sealed, AAD)).isInstanceOf(CryptoException.class);
	}

	@Test
	void openWhenVersionByteChangedThenCryptoException() {
		byte[] tampered = flip(envelope.seal(PLAINTEXT, AAD), 0);

		assertThatThrownBy(() -> envelope.open(tampered, AAD)).isInstanceOf(CryptoException.class)
			.hasMessage("not a version-1 envelope");
		assertThatThrownBy(() -> Envelope.keyId(tampered)).isInstanceOf(CryptoException.class)
			.hasMessage("not a version-1 envelope");
	}

	@Test
	void openWhenAadDiffersThenCryptoException() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		assertThatThrownBy(() -> envelope.open(sealed, "vault:user-2:target-docs".getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(CryptoException.class)
			.hasMessage("the envelope does not verify: tampered, or bound to another owner");
		assertThatThrownBy(() -> envelope.open(sealed, new byte[0])).isInstanceOf(CryptoException.class);
		assertThatThrownBy(() -> envelope.open(sealed, Arrays.copyOf(AAD, AAD.length + 1)))
			.isInstanceOf(CryptoException.class);
	}

	@Test
	void openWhenTruncatedBelowOverheadThenNotAnEnvelope() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		for (int length : new int[] { 0, 1, HEADER, Envelope.OVERHEAD - 1 }) {
			byte[] truncated = Arrays.copyOf(sealed, length);
			assertThatThrownBy(() -> envelope.open(truncated, AAD)).as("length %d", length)
				.isInstanceOf(CryptoException.class)
				.hasMessage("not a version-1 envelope");
		}
	}

	@Test
	void openWhenTruncatedByOneByteOrExtendedThenCryptoException() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);

		assertThatThrownBy(() -> envelope.open(Arrays.copyOf(sealed, sealed.length - 1), AAD))
			.isInstanceOf(CryptoException.class)
			.hasMessageContaining("does not verify");
		assertThatThrownBy(() -> envelope.open(Arrays.copyOf(sealed, Envelope.OVERHEAD), AAD))
			.isInstanceOf(CryptoException.class);
		assertThatThrownBy(() -> envelope.open(Arrays.copyOf(sealed, sealed.length + 1), AAD))
			.isInstanceOf(CryptoException.class);
	}

	@Test
	void openWhenSealedByAnotherRingWithSameIdThenCryptoException() {
		byte[] sealed = new Envelope(KeyRing.of(1, key(0x33))).seal(PLAINTEXT, AAD);

		assertThatThrownBy(() -> envelope.open(sealed, AAD)).isInstanceOf(CryptoException.class)
			.hasMessageContaining("does not verify");
	}

	@Test
	void openWhenUnknownKeyIdThenCryptoExceptionNamingIdOnly() {
		byte[] sealed = new Envelope(KeyRing.of(9, key(0x11))).seal(PLAINTEXT, AAD);

		CryptoException ex = catchThrowableOfType(CryptoException.class, () -> envelope.open(sealed, AAD));

		assertThat(ex).hasMessage("sealed with key 9, which this gateway does not hold");
		assertThat(ex.getMessage()).doesNotContain("refresh-token");
	}

	@Test
	void openWhenRingRotatedThenOldEnvelopeOpensAndNewOnesUseNewKeyId() {
		byte[] old = envelope.seal(PLAINTEXT, AAD);
		Envelope rotated = new Envelope(envelope.keys().withCurrent(2, key(0x22)));

		byte[] fresh = rotated.seal(PLAINTEXT, AAD);

		assertThat(rotated.open(old, AAD)).isEqualTo(PLAINTEXT);
		assertThat(Envelope.keyId(old)).isEqualTo(1);
		assertThat(Envelope.keyId(fresh)).isEqualTo(2);
		assertThat(rotated.open(fresh, AAD)).isEqualTo(PLAINTEXT);
		assertThatThrownBy(() -> envelope.open(fresh, AAD)).isInstanceOf(CryptoException.class)
			.hasMessage("sealed with key 2, which this gateway does not hold");
	}

	@Test
	void openWhenOldKeyRemovedAfterRotationThenOldEnvelopeRefused() {
		byte[] old = envelope.seal(PLAINTEXT, AAD);
		Envelope retired = new Envelope(envelope.keys().withCurrent(2, key(0x22)).without(1));

		assertThatThrownBy(() -> retired.open(old, AAD)).isInstanceOf(CryptoException.class)
			.hasMessage("sealed with key 1, which this gateway does not hold");
	}

	@Test
	void openWhenNegativeKeyIdThenSealedAndReadBack() {
		Envelope negative = new Envelope(KeyRing.of(-7, key(0x44)));

		byte[] sealed = negative.seal(PLAINTEXT, AAD);

		assertThat(Envelope.keyId(sealed)).isEqualTo(-7);
		assertThat(negative.open(sealed, AAD)).isEqualTo(PLAINTEXT);
	}

	@Test
	void openWhenDerivedRingThenDoesNotOpenEnvelopesOfBaseRing() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);
		Envelope derived = new Envelope(envelope.keys().derive("vault"));

		assertThatThrownBy(() -> derived.open(sealed, AAD)).isInstanceOf(CryptoException.class)
			.hasMessageContaining("does not verify");
	}

	@Test
	void keyIdWhenTooShortThenCryptoException() {
		assertThatThrownBy(() -> Envelope.keyId(new byte[] { 1, 0, 0, 0, 1 })).isInstanceOf(CryptoException.class)
			.hasMessage("not a version-1 envelope");
	}

	@Test
	void constructorWhenNullArgumentsThenRefused() {
		assertThatThrownBy(() -> new Envelope(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("keys must not be null");
		assertThatThrownBy(() -> new Envelope(KeyRing.of(1, key(1)), null)).isInstanceOf(NullPointerException.class)
			.hasMessage("random must not be null");
	}

	@Test
	void openWhenAFailedOpenCameBeforeThenTheNextOpenAndSealStillWork() {
		byte[] sealed = envelope.seal(PLAINTEXT, AAD);
		assertThatThrownBy(() -> envelope.open(flip(sealed, sealed.length - 1), AAD)).isInstanceOf(CryptoException.class);
		assertThatThrownBy(() -> envelope.open(sealed, "other".getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(CryptoException.class);

		assertThat(envelope.open(sealed, AAD)).isEqualTo(PLAINTEXT);
		assertThat(envelope.open(envelope.seal(PLAINTEXT, AAD), AAD)).isEqualTo(PLAINTEXT);
	}

	@Test
	void sealAndOpenWhenManyThreadsShareTheEnvelopeThenEveryRoundTripIsExact() throws Exception {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				results.add(pool.submit(() -> {
					for (int i = 0; i < 500; i++) {
						byte[] plaintext = ("t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
						byte[] aad = ("aad-" + thread).getBytes(StandardCharsets.UTF_8);
						if (!Arrays.equals(envelope.open(envelope.seal(plaintext, aad), aad), plaintext)) {
							return false;
						}
					}
					return true;
				}));
			}
			for (java.util.concurrent.Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static byte[] flip(byte[] bytes, int index) {
		byte[] copy = bytes.clone();
		copy[index] ^= 0x01;
		return copy;
	}

	static byte[] key(int fill) {
		byte[] key = new byte[32];
		for (int i = 0; i < key.length; i++) {
			key[i] = (byte) (fill + i);
		}
		return key;
	}

}
