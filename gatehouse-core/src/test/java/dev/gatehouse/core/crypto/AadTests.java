package dev.gatehouse.core.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AadTests {

	@Test
	void differentSplitsOfTheSameTextEncodeDifferently() {
		assertThat(Aad.of("ab", "c")).isNotEqualTo(Aad.of("a", "bc"));
		assertThat(Aad.of("a", "")).isNotEqualTo(Aad.of("a"));
		assertThat(Aad.of("grant", "iss", "alice", "t")).isEqualTo(Aad.of("grant", "iss", "alice", "t"));
	}
}
