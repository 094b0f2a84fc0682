package dev.gatehouse.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyTests {

	private static final String SOURCE = "GATEHOUSE_MASTER_KEY";

	/** 32 bytes whose base64 has '+', '/' (standard) or '-', '_' (URL-safe). */
	private static final byte[] KEY = bytesWithSpecialBase64();

	@Test
	void decodeWhenStandardBase64OfThirtyTwoBytesThenBytes() {
		String text = Base64.getEncoder().encodeToString(KEY);

		assertThat(text).contains("+").contains("/").endsWith("=");
		assertThat(MasterKey.decode(text, SOURCE)).isEqualTo(KEY);
	}

	@Test
	void decodeWhenUrlSafeBase64OfThirtyTwoBytesThenBytes() {
		String text = Base64.getUrlEncoder().encodeToString(KEY);

		assertThat(text).contains("-").contains("_");
		assertThat(MasterKey.decode(text, SOURCE)).isEqualTo(KEY);
	}

	@Test
	void decodeWhenUrlSafeBase64WithoutPaddingThenBytes() {
		String text = Base64.getUrlEncoder().withoutPadding().encodeToString(KEY);

		assertThat(MasterKey.decode(text, SOURCE)).isEqualTo(KEY);
	}

	@Test
	void decodeWhenStandardBase64WithoutPaddingThenBytes() {
		String text = Base64.getEncoder().withoutPadding().encodeToString(KEY);

		assertThat(MasterKey.decode(text, SOURCE)).isEqualTo(KEY);
	}

	@Test
	void decodeWhenSurroundingWhitespaceOrTrailingNewlineThenIgnored() {
		String text = Base64.getEncoder().encodeToString(KEY);

		assertThat(MasterKey.decode("  " + text + "\n", SOURCE)).isEqualTo(KEY);
		assertThat(MasterKey.decode("\t" + text + "\r\n", SOURCE)).isEqualTo(KEY);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 16, 31, 33, 48, 64 })
	void decodeWhenOtherLengthThenRefusedNamingSourceAndLengthButNotValue(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (i * 7 + 3);
		}
		String text = Base64.getEncoder().encodeToString(bytes);

		IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
				() -> MasterKey.decode(text, SOURCE));

		assertThat(ex).hasMessage(SOURCE + " must decode to 32 bytes (AES-256), but decodes to " + length + " bytes");
		if (!text.isEmpty()) {
			assertThat(ex.getMessage()).doesNotContain(text);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "not base64 at all!", "c2VjcmV0LWtleS12YWx1ZQ==!!", "abc=def", "Q", "ZZZZZ", "c2Vj cmV0",
			"c2Vj+cmV0-_AAA", "••••" })
	void decodeWhenNotBase64ThenRefusedNamingSourceButNotValue(String text) {
		IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
				() -> MasterKey.decode(text, SOURCE));

		assertThat(ex).hasMessage(SOURCE + " is not valid base64");
		assertThat(ex.getMessage()).doesNotContain(text.strip());
		assertThat(ex.getCause()).as("the decoder's message could quote the input").isNull();
	}

	@Test
	void decodeWhenSourceIsFileThenMessageNamesFile() {
		IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
				() -> MasterKey.decode("%%%", "/run/secrets/master.key"));

		assertThat(ex).hasMessage("/run/secrets/master.key is not valid base64");
	}

	private static byte[] bytesWithSpecialBase64() {
		byte[] bytes = new byte[32];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (0xfb + i * 5);
		}
		bytes[0] = (byte) 0xfb;
		bytes[1] = (byte) 0xef;
		bytes[2] = (byte) 0xff;
		return bytes;
	}

}
