package dev.gatehouse.core.oauth;

import dev.gatehouse.core.secret.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PkceTests {

	@Test
	void s256MatchesTheRfc7636AppendixBExample() {
		CodeVerifier verifier = new CodeVerifier(Secret.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
		assertThat(PkceChallenge.s256(verifier).value()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
		assertThat(PkceChallenge.s256(verifier).method()).isEqualTo("S256");
	}

	@Test
	void generatedVerifiersAreValidDistinctAndNeverPrinted() {
		CodeVerifier a = CodeVerifier.generate();
		CodeVerifier b = CodeVerifier.generate();
		assertThat(a.value().reveal()).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(a.value().reveal()).isNotEqualTo(b.value().reveal());
		assertThat(a.toString()).doesNotContain(a.value().reveal());
	}

	@Test
	void verifierWhenTooShortOrWithBadCharactersThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CodeVerifier(Secret.of("short")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CodeVerifier(Secret.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk=")));
	}

	@Test
	void randomTokensNeedEnoughEntropyAndHashStably() {
		assertThatIllegalArgumentException().isThrownBy(() -> RandomTokens.generate(8));
		assertThat(RandomTokens.generate(32)).hasSize(43);
		assertThat(RandomTokens.sha256Hex("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(RandomTokens.constantTimeEquals("a", "a")).isTrue();
		assertThat(RandomTokens.constantTimeEquals("a", "b")).isFalse();
	}
}
