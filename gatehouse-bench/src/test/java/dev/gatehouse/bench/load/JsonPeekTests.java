package dev.gatehouse.bench.load;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonPeekTests {

	private static final byte[] CALL = bytes(
			"{\"jsonrpc\":\"2.0\",\"id\": 42 ,\"method\":\"tools/call\",\"params\":{\"name\":\"json\",\"arguments\":{\"q\":\"id\"},"
					+ "\"_meta\":{\"progressToken\":\"p-1\"}}}");

	@Test
	void rawValueWhenNumberThenDigits() {
		assertThat(JsonPeek.rawValue(CALL, 0, CALL.length, "id")).isEqualTo("42");
	}

	@Test
	void rawValueWhenStringThenWithQuotes() {
		assertThat(JsonPeek.rawValue(CALL, 0, CALL.length, "progressToken")).isEqualTo("\"p-1\"");
	}

	@Test
	void stringValueWhenStringThenWithoutQuotes() {
		assertThat(JsonPeek.stringValue(CALL, 0, CALL.length, "method")).isEqualTo("tools/call");
		assertThat(JsonPeek.stringValue(CALL, 0, CALL.length, "name")).isEqualTo("json");
	}

	@Test
	void valueWhenNameOnlyAppearsAsAStringValueThenSkipsIt() {
		byte[] json = bytes("{\"a\":\"id\",\"id\":7}");
		assertThat(JsonPeek.rawValue(json, 0, json.length, "id")).isEqualTo("7");
	}

	@Test
	void valueWhenAbsentThenNull() {
		assertThat(JsonPeek.rawValue(CALL, 0, CALL.length, "cursor")).isNull();
		assertThat(JsonPeek.stringValue(CALL, 0, CALL.length, "id")).isNull();
	}

	@Test
	void valueWhenOutsideTheRangeThenNull() {
		byte[] json = bytes("xxxx{\"id\":1}");
		assertThat(JsonPeek.rawValue(json, 0, 4, "id")).isNull();
		assertThat(JsonPeek.rawValue(json, 4, json.length, "id")).isEqualTo("1");
	}

	@Test
	void stringValueWhenEscapedQuoteThenKeepsTheEscape() {
		byte[] json = bytes("{\"method\":\"a\\\"b\"}");
		assertThat(JsonPeek.stringValue(json, 0, json.length, "method")).isEqualTo("a\\\"b");
	}

	@Test
	void indexOfFindsTheFirstOccurrence() {
		byte[] haystack = bytes("abcabc");
		assertThat(JsonPeek.indexOf(haystack, 0, haystack.length, bytes("bc"))).isEqualTo(1);
		assertThat(JsonPeek.indexOf(haystack, 2, haystack.length, bytes("bc"))).isEqualTo(4);
		assertThat(JsonPeek.indexOf(haystack, 0, haystack.length, bytes("cd"))).isEqualTo(-1);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
