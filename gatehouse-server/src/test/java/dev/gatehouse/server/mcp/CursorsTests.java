package dev.gatehouse.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.server.catalog.EntryKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CursorsTests {

	@ParameterizedTest
	@EnumSource(EntryKind.class)
	void decodeWhenEncodedForSameKindThenLastName(EntryKind kind) {
		String cursor = Cursors.encode(kind, "docs___search");

		assertThat(Cursors.decode(kind, cursor)).isEqualTo("docs___search");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a|b|c", "résumé ✓", "docs+test://x?y=1&z=2", "", "v1|tool|nested" })
	void decodeWhenNameHasSeparatorsOrUnicodeThenRoundTrips(String name) {
		assertThat(Cursors.decode(EntryKind.TOOL, Cursors.encode(EntryKind.TOOL, name))).isEqualTo(name);
	}

	@Test
	void encodeWhenCalledThenUrlSafeWithoutPaddingAndStable() {
		String cursor = Cursors.encode(EntryKind.RESOURCE, "docs+test://static-text?>>>");

		assertThat(cursor).matches("[A-Za-z0-9_-]+")
			.isEqualTo(Cursors.encode(EntryKind.RESOURCE, "docs+test://static-text?>>>"));
	}

	@Test
	void decodeWhenCursorOfAnotherListThenInvalidParamsNamingListMethod() {
		String cursor = Cursors.encode(EntryKind.TOOL, "docs___search");

		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> Cursors.decode(EntryKind.PROMPT, cursor));

		assertThat(ex.code()).isEqualTo(-32602);
		assertThat(ex.getMessage())
			.isEqualTo("Invalid cursor: pass back the nextCursor of the previous prompts/list result unchanged");
	}

	@Test
	void decodeWhenResourceCursorUsedForTemplatesThenInvalidParams() {
		String cursor = Cursors.encode(EntryKind.RESOURCE, "docs+a://b");

		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> Cursors.decode(EntryKind.TEMPLATE, cursor));

		assertThat(ex.getMessage()).contains("resources/templates/list");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not a cursor", "%%%", "abc=def", "a+b/c", "dj18dG9vbHxh=" })
	void decodeWhenNotBase64UrlOrNotOursThenInvalidParams(String cursor) {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> Cursors.decode(EntryKind.TOOL, cursor));

		assertThat(ex.code()).isEqualTo(-32602);
		assertThat(ex.getMessage()).startsWith("Invalid cursor: ").contains("tools/list");
	}

	@ParameterizedTest
	@ValueSource(strings = { "v2|tool|x", "tool|x", "v1|tools|x", "V1|tool|x", "v1|tool" })
	void decodeWhenWellFormedBase64ButWrongPrefixThenInvalidParams(String plain) {
		String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));

		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> Cursors.decode(EntryKind.TOOL, cursor));

		assertThat(ex.code()).isEqualTo(-32602);
	}

	@Test
	void decodeWhenPaddedFormOfOwnCursorThenAccepted() {
		String padded = Base64.getUrlEncoder().encodeToString("v1|tool|ab".getBytes(StandardCharsets.UTF_8));

		assertThat(padded).endsWith("=");
		assertThat(Cursors.decode(EntryKind.TOOL, padded)).isEqualTo("ab");
	}

}
