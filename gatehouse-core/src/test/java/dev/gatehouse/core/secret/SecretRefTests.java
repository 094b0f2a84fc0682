package dev.gatehouse.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretRefTests {

	@ParameterizedTest
	@ValueSource(strings = { "RISK_CLIENT_SECRET", "a", "_", "_x1", "lower_case_9" })
	void parseWhenEnvWithValidNameThenEnvReference(String name) {
		assertThat(SecretRef.parse("env:" + name)).contains(new SecretRef(SecretRef.Kind.ENV, name));
	}

	@Test
	void parseWhenEnvNameOf128CharactersThenAccepted() {
		String name = "A".repeat(128);

		assertThat(SecretRef.parse("env:" + name)).contains(new SecretRef(SecretRef.Kind.ENV, name));
	}

	@ParameterizedTest
	@ValueSource(strings = { "env:", "env:1ABC", "env:A-B", "env:A B", "env: A", "env:A.B", "env:$A", "env:ÄB" })
	void parseWhenEnvWithBadNameThenRefusedWithoutEchoing(String text) {
		assertThatThrownBy(() -> SecretRef.parse(text)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("'env:' must be followed by an environment variable name such as RISK_CLIENT_SECRET");
	}

	@Test
	void parseWhenEnvNameOf129CharactersThenRefused() {
		assertThatThrownBy(() -> SecretRef.parse("env:" + "A".repeat(129)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/run/secrets/key", "relative/key.txt", "C:\\keys\\k", " /padded ", "file:nested" })
	void parseWhenFileWithPathThenFileReferenceKeepingPath(String path) {
		assertThat(SecretRef.parse("file:" + path)).contains(new SecretRef(SecretRef.Kind.FILE, path));
	}

	@ParameterizedTest
	@ValueSource(strings = { "file:", "file: ", "file:\t\n" })
	void parseWhenFileWithoutPathThenRefused(String text) {
		assertThatThrownBy(() -> SecretRef.parse(text)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("'file:' must be followed by a file path");
	}

	@ParameterizedTest
	@ValueSource(strings = { "sk-live-123", "", "ENV:NAME", "Env:NAME", "File:/x", "envNAME", " env:NAME", "Vault:x" })
	void parseWhenNotAReferenceThenEmpty(String text) {
		assertThat(SecretRef.parse(text)).isEmpty();
	}

	@Test
	void parseWhenVaultThenVaultReference() {
		assertThat(SecretRef.parse("vault:client-secret")).contains(new SecretRef(SecretRef.Kind.VAULT, "client-secret"));
		assertThat(SecretRef.parse("vault:client-secret").orElseThrow()).hasToString("vault:client-secret");
		assertThatThrownBy(() -> SecretRef.parse("vault:")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'vault:' must be followed by a name");
		assertThatThrownBy(() -> SecretRef.parse("vault:a b")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void toStringWhenReferenceThenPrefixAndLocation() {
		assertThat(new SecretRef(SecretRef.Kind.ENV, "A")).hasToString("env:A");
		assertThat(new SecretRef(SecretRef.Kind.FILE, "/k")).hasToString("file:/k");
	}

	@Test
	void toStringWhenParsedThenParsesBackEqual() {
		SecretRef ref = SecretRef.parse("file:/run/secrets/docs").orElseThrow();

		assertThat(SecretRef.parse(ref.toString())).contains(ref);
	}

	@Test
	void constructorWhenNullPartsThenRefused() {
		assertThatThrownBy(() -> new SecretRef(null, "x")).isInstanceOf(NullPointerException.class)
			.hasMessage("kind must not be null");
		assertThatThrownBy(() -> new SecretRef(SecretRef.Kind.ENV, null)).isInstanceOf(NullPointerException.class)
			.hasMessage("location must not be null");
	}

}
