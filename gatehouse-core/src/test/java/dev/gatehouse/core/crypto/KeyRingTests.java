package dev.gatehouse.core.crypto;

import static dev.gatehouse.core.crypto.EnvelopeTests.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTests {

	@Test
	void ofWhenThirtyTwoBytesThenRingWithThatKeyCurrent() {
		KeyRing ring = KeyRing.of(4, key(0x10));

		assertThat(ring.currentId()).isEqualTo(4);
		assertThat(ring.contains(4)).isTrue();
		assertThat(ring.contains(5)).isFalse();
		assertThat(ring.current().getEncoded()).isEqualTo(key(0x10));
		assertThat(ring.current().getAlgorithm()).isEqualTo("AES");
	}

	@Test
	void ofWhenKeyGivenThenCallersArrayIsZeroed() {
		byte[] bytes = key(0x10);

		KeyRing ring = KeyRing.of(1, bytes);

		assertThat(bytes).containsOnly(0);
		assertThat(ring.current().getEncoded()).isEqualTo(key(0x10));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 16, 24, 31, 33, 64 })
	void ofWhenNotThirtyTwoBytesThenRefusedNamingLengthOnly(int length) {
		assertThatThrownBy(() -> KeyRing.of(1, new byte[length])).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("an AES-256 key is 32 bytes, not " + length);
	}

	@Test
	void ofWhenNullKeyThenRefused() {
		assertThatThrownBy(() -> KeyRing.of(1, null)).isInstanceOf(NullPointerException.class)
			.hasMessage("keyBytes must not be null");
	}

	@Test
	void withCurrentWhenNewKeyThenNewCurrentAndOldKeysKept() {
		KeyRing ring = KeyRing.of(1, key(0x10));

		KeyRing rotated = ring.withCurrent(2, key(0x20));

		assertThat(rotated.currentId()).isEqualTo(2);
		assertThat(rotated.contains(1)).isTrue();
		assertThat(rotated.key(1).getEncoded()).isEqualTo(key(0x10));
		assertThat(rotated.current().getEncoded()).isEqualTo(key(0x20));
		assertThat(rotated).hasToString("KeyRing[ids=[1, 2], current=2]");
	}

	@Test
	void withCurrentWhenCalledThenOriginalRingUnchanged() {
		KeyRing ring = KeyRing.of(1, key(0x10));

		ring.withCurrent(2, key(0x20));

		assertThat(ring.currentId()).isEqualTo(1);
		assertThat(ring.contains(2)).isFalse();
	}

	@Test
	void withCurrentWhenExistingIdThenKeyReplaced() {
		KeyRing ring = KeyRing.of(1, key(0x10)).withCurrent(2, key(0x20));

		KeyRing back = ring.withCurrent(1, key(0x30));

		assertThat(back.currentId()).isEqualTo(1);
		assertThat(back.current().getEncoded()).isEqualTo(key(0x30));
		assertThat(back.contains(2)).isTrue();
	}

	@Test
	void withCurrentWhenBadKeyLengthThenRefused() {
		assertThatThrownBy(() -> KeyRing.of(1, key(0x10)).withCurrent(2, new byte[31]))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("an AES-256 key is 32 bytes, not 31");
	}

	@Test
	void withoutWhenRetiredKeyThenRemovedAndCurrentKept() {
		KeyRing ring = KeyRing.of(1, key(0x10)).withCurrent(2, key(0x20));

		KeyRing retired = ring.without(1);

		assertThat(retired.contains(1)).isFalse();
		assertThat(retired.currentId()).isEqualTo(2);
		assertThat(ring.contains(1)).as("the original ring is immutable").isTrue();
	}

	@Test
	void withoutWhenCurrentKeyThenRefused() {
		KeyRing ring = KeyRing.of(1, key(0x10)).withCurrent(2, key(0x20));

		assertThatThrownBy(() -> ring.without(2)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("the current key cannot be removed");
		assertThat(ring.contains(2)).isTrue();
	}

	@Test
	void withoutWhenUnknownIdThenSameKeys() {
		KeyRing ring = KeyRing.of(1, key(0x10));

		assertThat(ring.without(7)).hasToString("KeyRing[ids=[1], current=1]");
	}

	@Test
	void keyWhenUnknownIdThenCryptoExceptionNamingId() {
		assertThatThrownBy(() -> KeyRing.of(1, key(0x10)).key(3)).isInstanceOf(CryptoException.class)
			.hasMessage("sealed with key 3, which this gateway does not hold");
	}

	@Test
	void deriveWhenDifferentPurposesThenDifferentKeys() {
		KeyRing ring = KeyRing.of(1, key(0x10));

		byte[] vault = ring.derive("vault").current().getEncoded();
		byte[] sessions = ring.derive("sessions").current().getEncoded();

		assertThat(vault).hasSize(32).isNotEqualTo(sessions);
		assertThat(vault).isNotEqualTo(key(0x10));
		assertThat(sessions).isNotEqualTo(key(0x10));
	}

	@Test
	void deriveWhenSameInputAndPurposeThenSameKey() {
		byte[] first = KeyRing.of(1, key(0x10)).derive("vault").current().getEncoded();
		byte[] second = KeyRing.of(1, key(0x10)).derive("vault").current().getEncoded();

		assertThat(first).isEqualTo(second);
	}

	@Test
	void deriveWhenDifferentMasterKeysThenDifferentKeys() {
		byte[] first = KeyRing.of(1, key(0x10)).derive("vault").current().getEncoded();
		byte[] second = KeyRing.of(1, key(0x11)).derive("vault").current().getEncoded();

		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void deriveWhenRingHasSeveralKeysThenEveryKeyDerivedAndCurrentKept() {
		KeyRing ring = KeyRing.of(1, key(0x10)).withCurrent(2, key(0x20));

		KeyRing derived = ring.derive("vault");

		assertThat(derived.currentId()).isEqualTo(2);
		assertThat(derived.key(1).getEncoded())
			.isEqualTo(KeyRing.of(1, key(0x10)).derive("vault").current().getEncoded());
		assertThat(derived.key(2).getEncoded())
			.isEqualTo(KeyRing.of(2, key(0x20)).derive("vault").current().getEncoded());
		assertThat(ring.current().getEncoded()).as("the base ring is unchanged").isEqualTo(key(0x20));
	}

	@Test
	void deriveWhenCalledThenMatchesHkdfSha256WithGatehouseSalt() throws Exception {
		byte[] derived = KeyRing.of(1, key(0x10)).derive("vault").current().getEncoded();

		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("gatehouse-hkdf-v1".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
		byte[] prk = mac.doFinal(key(0x10));
		mac.init(new SecretKeySpec(prk, "HmacSHA256"));
		mac.update("vault".getBytes(StandardCharsets.UTF_8));
		mac.update((byte) 1);
		assertThat(derived).isEqualTo(mac.doFinal());
	}

	@Test
	void deriveWhenPurposeNullThenRefused() {
		assertThatThrownBy(() -> KeyRing.of(1, key(0x10)).derive(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("purpose must not be null");
	}

	@Test
	void toStringWhenCalledThenIdsOnlyNoKeyMaterial() {
		KeyRing ring = KeyRing.of(1, key(0x41));

		assertThat(ring.toString()).isEqualTo("KeyRing[ids=[1], current=1]").doesNotContain("ABC");
	}

}
