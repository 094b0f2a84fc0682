package dev.gatehouse.core.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class JsonRpcCodecTests {

	private static final int PARSE_ERROR = -32700;

	private static final int INVALID_REQUEST = -32600;

	private final JsonRpcCodec codec = new JsonRpcCodec();

	// parseJson

	@Test
	void parseJsonWhenBodyEmptyThenParseErrorSayingEmpty() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> codec.parseJson(new byte[0]));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).contains("empty");
	}

	@Test
	void parseJsonWhenBodyOnlyWhitespaceThenParseErrorSayingEmpty() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> parse("  \r\n\t "));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).contains("empty");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{", "{\"jsonrpc\":\"2.0\",}", "not json", "{'jsonrpc':'2.0'}", "[1,2", "\"unterminated" })
	void parseJsonWhenInvalidJsonThenParseError(String body) {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> parse(body));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).startsWith("Parse error: the body is not valid JSON");
		assertThat(ex.data()).isNull();
	}

	@Test
	void parseJsonWhenTrailingContentAfterValueThenParseError() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> parse("{\"jsonrpc\":\"2.0\",\"method\":\"a\"} {\"jsonrpc\":\"2.0\",\"method\":\"b\"}"));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
	}

	@Test
	void parseJsonWhenOverlongUtf8ThenParseErrorNamingTheOffset() {
		byte[] body = "{\"a\":\"..X..\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		body[8] = (byte) 0xC0;
		body[9] = (byte) 0xAF;
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> codec.parseJson(body));
		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).isEqualTo(
				"Parse error: the body is not well-formed UTF-8 at byte offset 8: overlong encoding (0xC0 0xAF)");
	}

	@Test
	void parseJsonWhenDuplicateMemberThenParseErrorNamingIt() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"method\":\"tools/call\"}"));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).contains("method");
	}

	@Test
	void parseJsonWhenDuplicateMemberNestedInParamsThenParseErrorNamingIt() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> parse(
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\",\"name\":\"b\"}}"));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
		assertThat(ex.getMessage()).contains("name");
	}

	@Test
	void parseJsonWhenArrayThenReturnsArrayForTheCallerToJudge() {
		JsonNode node = parse("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}]");

		assertThat(node.isArray()).isTrue();
		assertThat(node.size()).isEqualTo(1);
	}

	@Test
	void mapperWhenDefaultThenStrictAboutDuplicates() {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> new JsonRpcCodec(codec.mapper()).parseJson(bytes("{\"a\":1,\"a\":2}")));

		assertThat(ex.code()).isEqualTo(PARSE_ERROR);
	}

	// toMessage: rejections

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "[]|an array", "\"text\"|a string", "42|the number 42", "true|a boolean", "null|null" })
	void toMessageWhenNotAnObjectThenInvalidRequestDescribingIt(String json, String description) {
		JsonRpcException ex = rejection(json);

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage())
			.isEqualTo("Invalid request: a JSON-RPC message must be a JSON object, not " + description);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
			"{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":null,\"id\":1,\"method\":\"ping\"}",
			"{\"jsonrpc\":\"2.0 \",\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"2\",\"id\":1,\"method\":\"ping\"}" })
	void toMessageWhenJsonrpcMissingOrWrongThenInvalidRequestNamingIt(String json) {
		JsonRpcException ex = rejection(json);

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'jsonrpc' must be \"2.0\"");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "null|null", "true|a boolean", "1.5|the number 1.5", "1.0|the number 1.0", "{}|an object",
					"[1]|an array", "123456789012345678901234567890|the number 123456789012345678901234567890" })
	void toMessageWhenRequestIdNotStringOrIntegerThenInvalidRequestNamingId(String id, String description) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'id' must be a string or an integer, not " + description);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"\"", "null", "1", "{}", "[\"ping\"]", "true" })
	void toMessageWhenMethodEmptyOrNotStringThenInvalidRequestNamingMethod(String method) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":" + method + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'method' must be a non-empty string");
	}

	@Test
	void toMessageWhenNotificationMethodEmptyThenInvalidRequestNamingMethod() {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"method\":\"\"}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).contains("'method'");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "[1,2]|an array", "\"x\"|a string", "7|the number 7", "null|null", "false|a boolean" })
	void toMessageWhenParamsNotObjectThenInvalidRequestNamingParams(String params, String description) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":" + params + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'params' must be an object, not " + description);
	}

	@Test
	void toMessageWhenNotificationParamsArrayThenInvalidRequestNamingParams() {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":[]}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).contains("'params'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"result\":{}", "\"error\":{\"code\":1,\"message\":\"m\"}", "\"result\":null" })
	void toMessageWhenMethodAndResultOrErrorThenInvalidRequestNamingBoth(String member) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"," + member + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage())
			.isEqualTo("Invalid request: a message cannot have both 'method' and 'result'/'error'");
	}

	@Test
	void toMessageWhenResultAndErrorThenInvalidRequestNamingBoth() {
		JsonRpcException ex = rejection(
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: a response cannot have both 'result' and 'error'");
	}

	@Test
	void toMessageWhenResultAndErrorWithoutIdThenBothReportedBeforeId() {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}}");

		assertThat(ex.getMessage()).contains("both 'result' and 'error'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"jsonrpc\":\"2.0\",\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}" })
	void toMessageWhenResultResponseWithoutIdThenInvalidRequestNamingId(String json) {
		JsonRpcException ex = rejection(json);

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: a response needs the 'id' of the request it answers");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "1.5", "{}", "[]" })
	void toMessageWhenResponseIdNotStringOrIntegerThenInvalidRequestNamingId(String id) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).startsWith("Invalid request: 'id' must be a string or an integer");
	}

	@Test
	void toMessageWhenNeitherMethodNorResultNorErrorThenInvalidRequest() {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).contains("'method'").contains("'result'/'error'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"boom\"", "42", "[]", "null", "true" })
	void toMessageWhenErrorNotObjectThenInvalidRequestNamingError(String error) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":" + error + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'error' must be an object");
	}

	@Test
	void toMessageWhenErrorNotObjectAndIdMissingThenInvalidRequestNamingError() {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"error\":\"boom\"}");

		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'error' must be an object");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"message\":\"m\"}", "{\"code\":null,\"message\":\"m\"}",
			"{\"code\":\"-32000\",\"message\":\"m\"}", "{\"code\":1.5,\"message\":\"m\"}",
			"{\"code\":-32000.0,\"message\":\"m\"}", "{\"code\":2147483648,\"message\":\"m\"}",
			"{\"code\":-2147483649,\"message\":\"m\"}" })
	void toMessageWhenErrorCodeMissingOrNotIntThenInvalidRequestNamingErrorCode(String error) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":" + error + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'error.code' must be an integer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"code\":-32000}", "{\"code\":-32000,\"message\":null}",
			"{\"code\":-32000,\"message\":42}", "{\"code\":-32000,\"message\":{}}" })
	void toMessageWhenErrorMessageMissingOrNotStringThenInvalidRequestNamingErrorMessage(String error) {
		JsonRpcException ex = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":" + error + "}");

		assertThat(ex.code()).isEqualTo(INVALID_REQUEST);
		assertThat(ex.getMessage()).isEqualTo("Invalid request: 'error.message' must be a string");
	}

	@Test
	void toMessageWhenRejectedThenNoData() {
		assertThat(rejection("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}").data()).isNull();
	}

	// toMessage: acceptance

	@Test
	void toMessageWhenRequestWithIntegerIdThenRequest() {
		JsonRpcMessage message = read("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
				+ "\"params\":{\"name\":\"add\",\"arguments\":{\"a\":1}}}");

		assertThat(message).isInstanceOf(JsonRpcRequest.class);
		JsonRpcRequest request = (JsonRpcRequest) message;
		assertThat(request.id()).isEqualTo(JsonRpcId.of(7));
		assertThat(request.id().isString()).isFalse();
		assertThat(request.method()).isEqualTo("tools/call");
		assertThat(request.params().get("name").stringValue()).isEqualTo("add");
		assertThat(request.params().get("arguments").get("a").intValue()).isEqualTo(1);
	}

	@Test
	void toMessageWhenRequestWithStringIdThenRequestWithStringId() {
		JsonRpcRequest request = (JsonRpcRequest) read("{\"jsonrpc\":\"2.0\",\"id\":\"abc-1\",\"method\":\"ping\"}");

		assertThat(request.id()).isEqualTo(JsonRpcId.of("abc-1"));
		assertThat(request.id().isString()).isTrue();
		assertThat(request.id().toString()).isEqualTo("\"abc-1\"");
		assertThat(request.params()).isNull();
		assertThat(request.paramsOrEmpty().isEmpty()).isTrue();
	}

	@Test
	void toMessageWhenStringIdLooksNumericThenStaysString() {
		JsonRpcRequest request = (JsonRpcRequest) read("{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"ping\"}");

		assertThat(request.id()).isEqualTo(JsonRpcId.of("1")).isNotEqualTo(JsonRpcId.of(1));
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, -1, Long.MAX_VALUE, Long.MIN_VALUE })
	void toMessageWhenIntegerIdAtLimitsThenAccepted(long id) {
		JsonRpcRequest request = (JsonRpcRequest) read("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");

		assertThat(request.id()).isEqualTo(JsonRpcId.of(id));
	}

	@Test
	void toMessageWhenEmptyStringIdThenAccepted() {
		JsonRpcRequest request = (JsonRpcRequest) read("{\"jsonrpc\":\"2.0\",\"id\":\"\",\"method\":\"ping\"}");

		assertThat(request.id()).isEqualTo(JsonRpcId.of(""));
	}

	@Test
	void toMessageWhenNoIdThenNotification() {
		JsonRpcMessage message = read(
				"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}");

		assertThat(message).isInstanceOf(JsonRpcNotification.class);
		JsonRpcNotification notification = (JsonRpcNotification) message;
		assertThat(notification.method()).isEqualTo("notifications/cancelled");
		assertThat(notification.params().get("requestId").intValue()).isEqualTo(3);
	}

	@Test
	void toMessageWhenNotificationWithoutParamsThenParamsNull() {
		JsonRpcNotification notification = (JsonRpcNotification) read(
				"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

		assertThat(notification.params()).isNull();
	}

	@Test
	void toMessageWhenUnknownExtraMembersThenIgnored() {
		JsonRpcRequest request = (JsonRpcRequest) read("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":1}");

		assertThat(request.method()).isEqualTo("ping");
	}

	@Test
	void toMessageWhenResultResponseThenResponseWithResult() {
		JsonRpcResponse response = (JsonRpcResponse) read(
				"{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"result\":{\"ok\":true}}");

		assertThat(response.id()).isEqualTo(JsonRpcId.of("r1"));
		assertThat(response.isError()).isFalse();
		assertThat(response.error()).isNull();
		assertThat(response.result().get("ok").booleanValue()).isTrue();
	}

	@Test
	void toMessageWhenResultNullThenResponseWithNullResult() {
		JsonRpcResponse response = (JsonRpcResponse) read("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}");

		assertThat(response.isError()).isFalse();
		assertThat(response.result().isNull()).isTrue();
	}

	@Test
	void toMessageWhenErrorResponseThenResponseWithError() {
		JsonRpcResponse response = (JsonRpcResponse) read(
				"{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32601,\"message\":\"no such method\","
						+ "\"data\":{\"method\":\"x\"}}}");

		assertThat(response.id()).isEqualTo(JsonRpcId.of(5));
		assertThat(response.isError()).isTrue();
		assertThat(response.error().code()).isEqualTo(-32601);
		assertThat(response.error().message()).isEqualTo("no such method");
		assertThat(response.error().data().get("method").stringValue()).isEqualTo("x");
	}

	@Test
	void toMessageWhenErrorResponseWithoutDataThenDataNull() {
		JsonRpcResponse response = (JsonRpcResponse) read(
				"{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32000,\"message\":\"\"}}");

		assertThat(response.error().data()).isNull();
		assertThat(response.error().message()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}",
			"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}" })
	void toMessageWhenErrorResponseWithoutIdThenResponseWithNullId(String json) {
		JsonRpcResponse response = (JsonRpcResponse) read(json);

		assertThat(response.id()).isNull();
		assertThat(response.error().code()).isEqualTo(-32700);
	}

	@ParameterizedTest
	@ValueSource(ints = { Integer.MIN_VALUE, Integer.MAX_VALUE, 0 })
	void toMessageWhenErrorCodeAtIntLimitsThenAccepted(int code) {
		JsonRpcResponse response = (JsonRpcResponse) read(
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"m\"}}");

		assertThat(response.error().code()).isEqualTo(code);
	}

	// peekId

	@Test
	void peekIdWhenIntegerIdThenReturnsIt() {
		assertThat(JsonRpcCodec.peekId(parse("{\"id\":9,\"method\":\"\"}"))).isEqualTo(JsonRpcId.of(9));
	}

	@Test
	void peekIdWhenStringIdOfInvalidMessageThenReturnsIt() {
		assertThat(JsonRpcCodec.peekId(parse("{\"jsonrpc\":\"1.0\",\"id\":\"q\"}"))).isEqualTo(JsonRpcId.of("q"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"method\":\"ping\"}", "{\"id\":null}", "{\"id\":true}", "{\"id\":1.5}", "{\"id\":{}}",
			"[{\"id\":1}]", "\"id\"", "5" })
	void peekIdWhenIdAbsentOrUnreadableThenNull(String json) {
		assertThat(JsonRpcCodec.peekId(parse(json))).isNull();
	}

	// write

	@Test
	void writeWhenRequestThenReadsBackEqual() {
		ObjectNode params = JsonNodeFactory.instance.objectNode();
		params.put("name", "add");
		params.putObject("arguments").put("a", 1).put("b", "two");
		JsonRpcRequest request = new JsonRpcRequest(JsonRpcId.of(42), "tools/call", params);

		assertThat(roundTrip(request)).isEqualTo(request);
	}

	@Test
	void writeWhenRequestWithStringIdAndNoParamsThenReadsBackEqual() {
		JsonRpcRequest request = new JsonRpcRequest(JsonRpcId.of("id-1"), "ping", null);

		assertThat(roundTrip(request)).isEqualTo(request);
		assertThat(new String(codec.write(request), StandardCharsets.UTF_8))
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"id-1\",\"method\":\"ping\"}");
	}

	@Test
	void writeWhenNotificationThenReadsBackEqualAndHasNoId() {
		JsonRpcNotification notification = new JsonRpcNotification("notifications/initialized", null);

		assertThat(roundTrip(notification)).isEqualTo(notification);
		assertThat(parse(new String(codec.write(notification), StandardCharsets.UTF_8)).has("id")).isFalse();
	}

	@Test
	void writeWhenResultResponseThenReadsBackEqual() {
		ObjectNode result = JsonNodeFactory.instance.objectNode();
		result.putArray("tools").addObject().put("name", "a");
		JsonRpcResponse response = JsonRpcResponse.result(JsonRpcId.of(3), result);

		assertThat(roundTrip(response)).isEqualTo(response);
	}

	@Test
	void writeWhenErrorResponseWithDataThenReadsBackEqual() {
		ObjectNode data = JsonNodeFactory.instance.objectNode().put("requested", "1999-01-01");
		JsonRpcResponse response = JsonRpcResponse.error(JsonRpcId.of("x"),
				new JsonRpcException(JsonRpcErrorCode.UNSUPPORTED_PROTOCOL_VERSION, "Unsupported", data));

		JsonRpcResponse read = (JsonRpcResponse) roundTrip(response);

		assertThat(read).isEqualTo(response);
		assertThat(read.error().code()).isEqualTo(-32022);
	}

	@Test
	void writeWhenErrorResponseWithoutIdThenReadsBackWithoutId() {
		JsonRpcResponse response = JsonRpcResponse.error(null,
				new JsonRpcException(JsonRpcErrorCode.PARSE_ERROR, "Parse error"));

		assertThat(roundTrip(response)).isEqualTo(response);
		assertThat(new String(codec.write(response), StandardCharsets.UTF_8)).doesNotContain("\"id\"");
	}

	@Test
	void writeWhenJsonNodeThenCompactUtf8() {
		ObjectNode node = JsonNodeFactory.instance.objectNode().put("text", "é ✓");

		assertThat(new String(codec.write(node), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"é ✓\"}");
	}

	private JsonNode parse(String json) {
		return codec.parseJson(bytes(json));
	}

	private JsonRpcMessage read(String json) {
		return codec.toMessage(parse(json));
	}

	private JsonRpcMessage roundTrip(JsonRpcMessage message) {
		return codec.toMessage(codec.parseJson(codec.write(message)));
	}

	private JsonRpcException rejection(String json) {
		JsonNode node = parse(json);
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class, () -> codec.toMessage(node));
		assertThat(ex).as("toMessage(%s) should be rejected", json).isNotNull();
		return ex;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
