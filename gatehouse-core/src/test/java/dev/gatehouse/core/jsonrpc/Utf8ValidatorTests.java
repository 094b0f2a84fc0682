package dev.gatehouse.core.jsonrpc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Utf8Validator} agrees with the JDK's strict UTF-8 decoder ({@link CodingErrorAction#REPORT}) on
 * validity and on the offset of the first malformed sequence, for fixed cases and for many generated arrays.
 */
class Utf8ValidatorTests {

	@Test
	void firstMalformedWhenWellFormedThenMinusOne() {
		assertThat(Utf8Validator.firstMalformed(new byte[0])).isEqualTo(-1);
		assertThat(Utf8Validator.firstMalformed("{\"a\":\"/ é € 𝄞 \uFFFD\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(-1);
		assertThat(Utf8Validator.firstMalformed(bytes(0xF4, 0x8F, 0xBF, 0xBF))).isEqualTo(-1);
		assertThat(Utf8Validator.firstMalformed(bytes(0xED, 0x9F, 0xBF))).isEqualTo(-1);
	}

	@Test
	void firstMalformedWhenOverlongThenItsOffset() {
		assertThat(Utf8Validator.firstMalformed(bytes('a', 'b', 0xC0, 0xAF))).isEqualTo(2);
		assertThat(Utf8Validator.describe(bytes('a', 'b', 0xC0, 0xAF), 2)).isEqualTo("overlong encoding (0xC0 0xAF)");
		assertThat(Utf8Validator.describe(bytes(0xE0, 0x80, 0xAF), 0)).startsWith("overlong encoding");
		assertThat(Utf8Validator.describe(bytes(0xF0, 0x80, 0x80, 0xAF), 0)).startsWith("overlong encoding");
	}

	@Test
	void firstMalformedWhenSurrogateOrAboveMaxOrBadByteThenItsOffset() {
		assertThat(Utf8Validator.firstMalformed(bytes('x', 0xED, 0xA0, 0x80))).isEqualTo(1);
		assertThat(Utf8Validator.describe(bytes(0xED, 0xA0, 0x80), 0)).startsWith("encoded surrogate");
		assertThat(Utf8Validator.firstMalformed(bytes(0xF4, 0x90, 0x80, 0x80))).isZero();
		assertThat(Utf8Validator.describe(bytes(0xF4, 0x90, 0x80, 0x80), 0)).startsWith("code point above U+10FFFF");
		assertThat(Utf8Validator.firstMalformed(bytes('x', 'y', 0xF5))).isEqualTo(2);
		assertThat(Utf8Validator.describe(bytes(0xFF), 0)).isEqualTo("byte not allowed in UTF-8 (0xFF)");
		assertThat(Utf8Validator.describe(bytes(0x80), 0)).startsWith("unexpected continuation byte");
	}

	@Test
	void firstMalformedWhenCutShortThenTheLeadsOffset() {
		assertThat(Utf8Validator.firstMalformed(bytes('a', 0xE2, 0x82))).isEqualTo(1);
		assertThat(Utf8Validator.describe(bytes('a', 0xE2, 0x82), 1)).isEqualTo("incomplete sequence (0xE2 0x82)");
		assertThat(Utf8Validator.firstMalformed(bytes(0xC3, 'a'))).isZero();
		assertThat(Utf8Validator.firstMalformed(bytes('a', 'b', 0xC3, 0xA9), 0, 3)).isEqualTo(2);
	}

	@Test
	void firstMalformedAgreesWithTheJdksStrictDecoderOnGeneratedArrays() {
		Random random = new Random(20261208L);
		int malformed = 0;
		for (int n = 0; n < 200_000; n++) {
			byte[] bytes = generate(random);
			int expected = jdkFirstMalformed(bytes);
			assertThat(Utf8Validator.firstMalformed(bytes)).as(java.util.HexFormat.of().formatHex(bytes))
				.isEqualTo(expected);
			if (expected >= 0) {
				malformed++;
				assertThat(Utf8Validator.describe(bytes, expected)).isNotBlank();
			}
		}
		assertThat(malformed).as("both kinds are generated").isBetween(20_000, 180_000);
	}

	@Test
	void firstMalformedAgreesWithTheJdkOnEveryTwoAndThreeBytePrefix() {
		for (int a = 0x80; a <= 0xFF; a++) {
			for (int b = 0; b <= 0xFF; b++) {
				byte[] two = bytes(a, b);
				assertThat(Utf8Validator.firstMalformed(two)).isEqualTo(jdkFirstMalformed(two));
				byte[] three = bytes(a, b, 0x80);
				assertThat(Utf8Validator.firstMalformed(three)).isEqualTo(jdkFirstMalformed(three));
				byte[] four = bytes(a, b, 0x80, 0x80);
				assertThat(Utf8Validator.firstMalformed(four)).isEqualTo(jdkFirstMalformed(four));
			}
		}
	}

	@Test
	void firstMalformedWhenOverlongAtAnyPositionInAsciiThenThatPosition() {
		for (int at = 0; at < 47; at++) {
			byte[] bytes = new byte[48];
			java.util.Arrays.fill(bytes, (byte) 'a');
			bytes[at] = (byte) 0xC0;
			bytes[at + 1] = (byte) 0xAF;
			assertThat(Utf8Validator.firstMalformed(bytes)).as("at " + at).isEqualTo(at);
			assertThat(Utf8Validator.firstMalformed(bytes, at + 2, bytes.length)).isEqualTo(-1);
		}
	}

	@Test
	void firstMalformedWhenRangeOutOfBoundsThenRejects() {
		assertThatThrownBy(() -> Utf8Validator.firstMalformed(new byte[2], 1, 3))
			.isInstanceOf(IndexOutOfBoundsException.class);
	}

	/** Mostly valid text (with ASCII runs) with some random bytes and boundary lead/continuation bytes mixed in. */
	private static byte[] generate(Random random) {
		int length = random.nextInt(24);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			int kind = random.nextInt(6);
			switch (kind) {
				case 0 -> {
					// runs of ASCII, so that the eight-byte fast path meets malformed bytes at every alignment
					for (int run = random.nextInt(20); run >= 0; run--) {
						text.append((char) random.nextInt(0x80));
					}
				}
				case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
				case 2 -> text.append((char) (0x800 + random.nextInt(0xD000)));
				case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
				default -> text.append((char) (0xE000 + random.nextInt(0x2000)));
			}
		}
		byte[] valid = text.toString().getBytes(StandardCharsets.UTF_8);
		int damage = random.nextInt(3);
		for (int d = 0; d < damage && valid.length > 0; d++) {
			int at = random.nextInt(valid.length);
			valid[at] = switch (random.nextInt(4)) {
				case 0 -> (byte) random.nextInt(256);
				case 1 -> (byte) (0x80 + random.nextInt(0x40));
				case 2 -> (byte) (0xC0 + random.nextInt(0x40));
				default -> (byte) new int[] { 0xC0, 0xC1, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF }[random.nextInt(8)];
			};
		}
		if (random.nextInt(10) == 0 && valid.length > 0) {
			return java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
		}
		return valid;
	}

	private static int jdkFirstMalformed(byte[] bytes) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(bytes);
		CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 2);
		CoderResult result = decoder.decode(in, out, true);
		if (result.isError()) {
			return in.position();
		}
		result = decoder.flush(out);
		return result.isError() ? in.position() : -1;
	}

	private static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}
}
