package dev.gatehouse.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SecretTests {

	@Test
	void toStringWhenAnyValueThenRedacted() {
		Secret secret = Secret.of("sk-live-123");

		assertThat(secret).hasToString("[REDACTED]");
		assertThat(String.valueOf(secret)).doesNotContain("sk-live");
		assertThat("token=" + secret).isEqualTo("token=[REDACTED]");
		assertThat(java.util.List.of(secret).toString()).isEqualTo("[[REDACTED]]");
	}

	@Test
	void revealWhenCalledThenOriginalValue() {
		Secret secret = Secret.of("pässwörd ✓");

		assertThat(secret.reveal()).isEqualTo("pässwörd ✓");
		assertThat(secret.revealBytes()).isEqualTo("pässwörd ✓".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void revealBytesWhenModifiedThenSecretUnchanged() {
		Secret secret = Secret.of("abc");

		byte[] bytes = secret.revealBytes();
		bytes[0] = 'X';

		assertThat(secret.reveal()).isEqualTo("abc");
	}

	@Test
	void matchesWhenSameValueThenTrue() {
		assertThat(Secret.of("abc").matches(Secret.of("abc"))).isTrue();
		assertThat(Secret.of("").matches(Secret.of(""))).isTrue();
	}

	@Test
	void matchesWhenDifferentValueOrLengthThenFalse() {
		assertThat(Secret.of("abc").matches(Secret.of("abd"))).isFalse();
		assertThat(Secret.of("abc").matches(Secret.of("abcd"))).isFalse();
		assertThat(Secret.of("abc").matches(Secret.of("ab"))).isFalse();
		assertThat(Secret.of("abc").matches(Secret.of(""))).isFalse();
		assertThat(Secret.of("abc").matches(Secret.of("ABC"))).isFalse();
	}

	@Test
	void equalsWhenSameValueThenEqualWithSameHashCode() {
		assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc")).hasSameHashCodeAs(Secret.of("abc"));
		assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd")).isNotEqualTo("abc");
	}

	@Test
	void isEmptyWhenEmptyValueThenTrue() {
		assertThat(Secret.of("").isEmpty()).isTrue();
		assertThat(Secret.of(" ").isEmpty()).isFalse();
	}

	@Test
	void ofWhenNullThenRefused() {
		assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("value must not be null");
	}

}
