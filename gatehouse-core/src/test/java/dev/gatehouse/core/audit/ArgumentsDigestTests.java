package dev.gatehouse.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

class ArgumentsDigestTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void ofWhenMemberOrderDiffersThenSameDigest() {
		assertThat(ArgumentsDigest.of(json("{\"a\":1,\"b\":\"x\",\"c\":[1,2]}")))
			.isEqualTo(ArgumentsDigest.of(json("{\"c\":[1,2],\"b\":\"x\",\"a\":1}")));
	}

	@Test
	void ofWhenNestedMemberOrderDiffersThenSameDigest() {
		assertThat(ArgumentsDigest.of(json("{\"outer\":{\"y\":{\"q\":1,\"p\":2},\"x\":[{\"n\":1,\"m\":2}]}}")))
			.isEqualTo(ArgumentsDigest.of(json("{\"outer\":{\"x\":[{\"m\":2,\"n\":1}],\"y\":{\"p\":2,\"q\":1}}}")));
	}

	@Test
	void ofWhenWhitespaceDiffersThenSameDigest() {
		assertThat(ArgumentsDigest.of(json("{ \"a\" : [ 1 , 2 ] }")))
			.isEqualTo(ArgumentsDigest.of(json("{\"a\":[1,2]}")));
	}

	@Test
	void ofWhenValueDiffersThenDifferentDigest() {
		String base = ArgumentsDigest.of(json("{\"amount\":100,\"to\":\"alice\"}"));

		assertThat(ArgumentsDigest.of(json("{\"amount\":101,\"to\":\"alice\"}"))).isNotEqualTo(base);
		assertThat(ArgumentsDigest.of(json("{\"amount\":100,\"to\":\"alicE\"}"))).isNotEqualTo(base);
		assertThat(ArgumentsDigest.of(json("{\"amount\":\"100\",\"to\":\"alice\"}"))).isNotEqualTo(base);
		assertThat(ArgumentsDigest.of(json("{\"amount\":100,\"to\":\"alice\",\"memo\":null}"))).isNotEqualTo(base);
		assertThat(ArgumentsDigest.of(json("{\"amount\":100}"))).isNotEqualTo(base);
	}

	@Test
	void ofWhenNameAndValueSwappedThenDifferentDigest() {
		assertThat(ArgumentsDigest.of(json("{\"a\":\"b\"}"))).isNotEqualTo(ArgumentsDigest.of(json("{\"b\":\"a\"}")));
	}

	@Test
	void ofWhenArrayOrderDiffersThenDifferentDigest() {
		assertThat(ArgumentsDigest.of(json("[1,2]"))).isNotEqualTo(ArgumentsDigest.of(json("[2,1]")));
	}

	@Test
	void ofWhenStringContainsQuotesOrSeparatorsThenNoAmbiguity() {
		assertThat(ArgumentsDigest.of(json("{\"a\":\"1\\\",\\\"b\\\":\\\"2\"}")))
			.isNotEqualTo(ArgumentsDigest.of(json("{\"a\":\"1\",\"b\":\"2\"}")));
	}

	@Test
	void ofWhenNullOrMissingOrJsonNullThenSameDigestOfNull() {
		String expected = "sha256:" + sha256("null");

		assertThat(ArgumentsDigest.of(null)).isEqualTo(expected);
		assertThat(ArgumentsDigest.of(MissingNode.getInstance())).isEqualTo(expected);
		assertThat(ArgumentsDigest.of(JsonNodeFactory.instance.nullNode())).isEqualTo(expected);
	}

	@Test
	void ofWhenEmptyObjectThenDiffersFromNull() {
		assertThat(ArgumentsDigest.of(json("{}"))).isEqualTo("sha256:" + sha256("{}"))
			.isNotEqualTo(ArgumentsDigest.of(null));
	}

	@Test
	void ofWhenCalledThenSha256PrefixAndLowerHex() {
		assertThat(ArgumentsDigest.of(json("{\"a\":1}"))).matches("sha256:[0-9a-f]{64}");
	}

	@Test
	void canonicalWhenObjectThenSortedCompactJson() {
		assertThat(ArgumentsDigest.canonical(json("{\"b\":[true,null,1.5],\"a\":{\"d\":\"x\",\"c\":\"é\\n\"}}")))
			.isEqualTo("{\"a\":{\"c\":\"é\\n\",\"d\":\"x\"},\"b\":[true,null,1.5]}");
	}

	@Test
	void canonicalWhenMemberNameNeedsEscapingThenEscaped() {
		assertThat(ArgumentsDigest.canonical(json("{\"a\\\"b\":1}"))).isEqualTo("{\"a\\\"b\":1}");
	}

	@Test
	void canonicalWhenScalarThenItsJson() {
		assertThat(ArgumentsDigest.canonical(json("\"text\""))).isEqualTo("\"text\"");
		assertThat(ArgumentsDigest.canonical(json("42"))).isEqualTo("42");
		assertThat(ArgumentsDigest.canonical(null)).isEqualTo("null");
	}

	@Test
	void sha256HexWhenKnownInputThenKnownDigest() {
		assertThat(ArgumentsDigest.sha256Hex("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
