package dev.gatehouse.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExposedNamesTests {

	private final ExposedNames names = new ExposedNames("___");

	@Test
	void exposeWhenPrefixThenTargetSeparatorName() {
		assertThat(names.expose("risk-assessment-mcp", "analyze")).isEqualTo("risk-assessment-mcp___analyze");
	}

	@Test
	void exposeWhenNoPrefixThenUpstreamNameUnchanged() {
		assertThat(names.expose(null, "get_weather.v2")).isEqualTo("get_weather.v2");
	}

	@Test
	void exposeWhenOtherSeparatorThenUsed() {
		assertThat(new ExposedNames(".").expose("docs", "search")).isEqualTo("docs.search");
		assertThat(new ExposedNames("--").separator()).isEqualTo("--");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "get weather|docs___get_weather", "tools/list|docs___tools_list",
			"a:b|docs___a_b", "émoji✓|docs____moji_", "x\ty|docs___x_y", "name@v1|docs___name_v1" })
	void exposeWhenInvalidCharactersThenEachBecomesUnderscore(String upstream, String expected) {
		String exposed = names.expose("docs", upstream);

		assertThat(exposed).isEqualTo(expected);
		assertThat(ExposedNames.isValid(exposed)).isTrue();
	}

	@Test
	void exposeWhenSupplementaryCharacterThenOneUnderscore() {
		assertThat(names.expose("docs", "a\uD83D\uDE00b")).isEqualTo("docs___a_b");
	}

	@Test
	void exposeWhenUnprefixedNameEmptyThenUnderscore() {
		assertThat(names.expose(null, "")).isEqualTo("_");
	}

	@Test
	void exposeWhenExactly128ValidCharactersThenUnchanged() {
		String upstream = "t".repeat(128 - "docs___".length());

		String exposed = names.expose("docs", upstream);

		assertThat(exposed).hasSize(128).isEqualTo("docs___" + upstream);
	}

	@Test
	void exposeWhenLongerThan128ThenCutWithHashSuffixOf128() {
		String upstream = "t".repeat(200);

		String exposed = names.expose("docs", upstream);

		assertThat(exposed).hasSize(ExposedNames.MAX_LENGTH);
		assertThat(exposed).startsWith("docs___ttt").matches(".*-[0-9a-f]{8}");
		assertThat(exposed.substring(0, 119)).isEqualTo(("docs___" + upstream).substring(0, 119));
		assertThat(ExposedNames.isValid(exposed)).isTrue();
	}

	@Test
	void exposeWhenLongNamesShareTheirStartThenHashSuffixesDiffer() {
		String common = "x".repeat(150);

		String first = names.expose("docs", common + "_alpha");
		String second = names.expose("docs", common + "_beta");

		assertThat(first).hasSize(128).isNotEqualTo(second);
		assertThat(second).hasSize(128);
	}

	@Test
	void exposeWhenLongAndInvalidThenSanitisedAndCut() {
		String exposed = names.expose("docs", "a b".repeat(60));

		assertThat(exposed).hasSize(128).doesNotContain(" ");
		assertThat(ExposedNames.isValid(exposed)).isTrue();
	}

	@Test
	void exposeWhenSameInputThenSameOutput() {
		String upstream = "y".repeat(300);

		assertThat(names.expose("docs", upstream)).isEqualTo(names.expose("docs", upstream));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "123456789", "a b", "a/b", "___\n" })
	void constructorWhenSeparatorInvalidThenRefused(String separator) {
		assertThatThrownBy(() -> new ExposedNames(separator)).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("the tool name separator must be 1 to 8 characters of letters, digits, '_', '.' or '-'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "_", "12345678", "__", "-", ".", "x" })
	void constructorWhenSeparatorValidThenAccepted(String separator) {
		assertThat(new ExposedNames(separator).separator()).isEqualTo(separator);
	}

	@Test
	void constructorWhenSeparatorNullThenRefused() {
		assertThatThrownBy(() -> new ExposedNames(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("separator must not be null");
	}

	@Test
	void disambiguateWhenSameInputThenStable() {
		assertThat(names.disambiguate("search", "docs")).isEqualTo(names.disambiguate("search", "docs"))
			.isEqualTo(new ExposedNames("__").disambiguate("search", "docs"));
	}

	@Test
	void disambiguateWhenDifferentTargetsThenDifferentNames() {
		String docs = names.disambiguate("search", "docs");
		String wiki = names.disambiguate("search", "wiki");

		assertThat(docs).startsWith("search-").matches("search-[0-9a-f]{8}").isNotEqualTo(wiki);
		assertThat(wiki).startsWith("search-");
	}

	@Test
	void disambiguateWhenTargetAndNameBoundaryShiftsThenDifferentNames() {
		assertThat(names.disambiguate("b", "a")).isNotEqualTo(names.disambiguate("", "ab"));
	}

	@Test
	void disambiguateWhenNameAt128ThenCutToStay128() {
		String exposed = "n".repeat(128);

		String disambiguated = names.disambiguate(exposed, "docs");

		assertThat(disambiguated).hasSize(128).startsWith("n".repeat(119)).matches(".*-[0-9a-f]{8}");
		assertThat(ExposedNames.isValid(disambiguated)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "A-z_0.9", "docs___search" })
	void isValidWhenAllowedCharactersThenTrue(String name) {
		assertThat(ExposedNames.isValid(name)).isTrue();
	}

	@Test
	void isValidWhenEmptyTooLongOrOtherCharactersThenFalse() {
		assertThat(ExposedNames.isValid("")).isFalse();
		assertThat(ExposedNames.isValid("a".repeat(129))).isFalse();
		assertThat(ExposedNames.isValid("a".repeat(128))).isTrue();
		assertThat(ExposedNames.isValid("a b")).isFalse();
		assertThat(ExposedNames.isValid("a/b")).isFalse();
	}

}
