package dev.gatehouse.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class HkdfTests {

	private static final byte[] INPUT = EnvelopeTests.key(0x01);

	@Test
	void deriveWhenLongerOutputThenShorterOutputIsItsPrefix() {
		byte[] long100 = Hkdf.derive(INPUT, "purpose", 100);
		byte[] short32 = Hkdf.derive(INPUT, "purpose", 32);

		assertThat(long100).hasSize(100);
		assertThat(Arrays.copyOf(long100, 32)).isEqualTo(short32);
		assertThat(Arrays.copyOfRange(long100, 32, 64)).isNotEqualTo(short32);
	}

	@Test
	void deriveWhenMaximumLengthThenDerived() {
		assertThat(Hkdf.derive(INPUT, "p", 255 * 32)).hasSize(255 * 32);
	}

	@Test
	void deriveWhenLengthBeyondRfcLimitThenRefused() {
		assertThatThrownBy(() -> Hkdf.derive(INPUT, "p", 255 * 32 + 1)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("length too large for HKDF-SHA-256");
	}

	@Test
	void deriveWhenInfoDiffersOnlyInUnicodeThenDifferentOutput() {
		assertThat(Hkdf.derive(INPUT, "vault", 32)).isNotEqualTo(Hkdf.derive(INPUT, "vaült", 32));
	}

	@Test
	void deriveWhenZeroLengthThenEmpty() {
		assertThat(Hkdf.derive(INPUT, "p", 0)).isEmpty();
	}

}
