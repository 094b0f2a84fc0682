package dev.gatehouse.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.core.jsonrpc.JsonRpcId;
import dev.gatehouse.core.jsonrpc.JsonRpcRequest;
import dev.gatehouse.core.mcp.ClientCapabilities;
import dev.gatehouse.core.mcp.ProtocolVersion;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class StatelessEnvelopeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String V = "2026-07-28";

	private static final String META = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + V
			+ "\",\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}}}";

	private static final int INVALID_PARAMS = -32602;

	private static final int HEADER_MISMATCH = -32020;

	private static final int UNSUPPORTED_VERSION = -32022;

	// applies

	@Test
	void appliesWhenVersionHeaderIsStatelessRevisionThenTrue() {
		assertThat(StatelessEnvelope.applies(V, json("{\"method\":\"tools/list\"}"))).isTrue();
	}

	@Test
	void appliesWhenBodyMetaCarriesVersionThenTrueWhateverTheHeader() {
		JsonNode body = json("{\"method\":\"tools/list\",\"params\":{" + META + "}}");

		assertThat(StatelessEnvelope.applies(null, body)).isTrue();
		assertThat(StatelessEnvelope.applies("2025-11-25", body)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"method\":\"tools/list\"}", "{\"method\":\"tools/list\",\"params\":{}}",
			"{\"params\":{\"_meta\":{}}}", "{\"params\":{\"_meta\":\"io.modelcontextprotocol/protocolVersion\"}}",
			"{\"params\":{\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{}}}}",
			"{\"params\":[{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}]}", "[]" })
	void appliesWhenNeitherHeaderNorMetaVersionThenFalse(String body) {
		assertThat(StatelessEnvelope.applies(null, json(body))).isFalse();
		assertThat(StatelessEnvelope.applies("2025-11-25", json(body))).isFalse();
	}

	// read: success

	@Test
	void readWhenEverythingMatchesThenCapabilitiesAndNoLogLevel() {
		StatelessEnvelope envelope = StatelessEnvelope.read(request("tools/list", "{" + META + "}"), V, "tools/list",
				null);

		assertThat(envelope.capabilities()).isEqualTo(new ClientCapabilities(false, true, false, false));
		assertThat(envelope.logLevel()).isNull();
	}

	@ParameterizedTest
	@CsvSource(nullValues = "NULL", delimiter = '|', value = { "\"debug\"|debug", "\"emergency\"|emergency",
			"\"verbose\"|NULL", "\"DEBUG\"|NULL", "3|NULL", "null|NULL" })
	void readWhenLogLevelInMetaThenKeptOnlyIfKnown(String level, String expected) {
		String params = "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + V
				+ "\",\"io.modelcontextprotocol/clientCapabilities\":{\"sampling\":{}},"
				+ "\"io.modelcontextprotocol/logLevel\":" + level + "}}";

		StatelessEnvelope envelope = StatelessEnvelope.read(request("tools/list", params), V, "tools/list", null);

		assertThat(envelope.logLevel()).isEqualTo(expected);
		assertThat(envelope.capabilities().sampling()).isTrue();
	}

	@Test
	void readWhenMethodHeaderHasSurroundingWhitespaceThenAccepted() {
		StatelessEnvelope envelope = StatelessEnvelope.read(request("tools/list", "{" + META + "}"), V,
				"  tools/list\t", null);

		assertThat(envelope).isNotNull();
	}

	@Test
	void readWhenMethodNeedsNoNameThenNameHeaderIgnored() {
		assertThat(StatelessEnvelope.read(request("ping", "{" + META + "}"), V, "ping", "anything")).isNotNull();
	}

	// read: _meta first

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"_meta\":{}}", "{\"_meta\":\"x\"}",
			"{\"_meta\":{\"io.modelcontextprotocol/clientCapabilities\":{}}}",
			"{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}",
			"{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":20260728,\"io.modelcontextprotocol/clientCapabilities\":{}}}",
			"{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":true}}",
			"{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":null}}" })
	void readWhenMetaFieldsMissingOrWrongTypeThenInvalidParamsNamingBoth(String params) {
		JsonRpcException ex = rejection(request("tools/list", params), V, "tools/list", null);

		assertThat(ex.code()).isEqualTo(INVALID_PARAMS);
		assertThat(ex.getMessage()).contains("params._meta")
			.contains("'io.modelcontextprotocol/protocolVersion' (a string)")
			.contains("'io.modelcontextprotocol/clientCapabilities' (an object)");
	}

	@Test
	void readWhenNoParamsThenInvalidParams() {
		assertThat(rejection(request("tools/list", null), V, "tools/list", null).code()).isEqualTo(INVALID_PARAMS);
	}

	@Test
	void readWhenMetaMissingAndHeadersMissingOrWrongThenInvalidParamsBeforeHeaderChecks() {
		assertThat(rejection(request("tools/call", "{\"name\":\"x\"}"), null, null, null).code())
			.isEqualTo(INVALID_PARAMS);
		assertThat(rejection(request("tools/call", "{\"name\":\"x\"}"), "1999-01-01", "other", "y").code())
			.isEqualTo(INVALID_PARAMS);
	}

	// read: version header

	@Test
	void readWhenVersionHeaderMissingThenHeaderMismatch() {
		JsonRpcException ex = rejection(request("tools/list", "{" + META + "}"), null, "tools/list", null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo("Header mismatch: the MCP-Protocol-Version header is required");
	}

	@Test
	void readWhenVersionHeaderDiffersFromBodyThenHeaderMismatchNamingBoth() {
		JsonRpcException ex = rejection(request("tools/list", "{" + META + "}"), "2025-11-25", "tools/list", null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo("Header mismatch: MCP-Protocol-Version header '2025-11-25' does not "
				+ "match 'io.modelcontextprotocol/protocolVersion' '2026-07-28' in the body");
		assertThat(ex.data()).isNull();
	}

	@Test
	void readWhenVersionHeaderDiffersAndBodyUnsupportedThenMismatchBeforeUnsupported() {
		JsonRpcException ex = rejection(request("tools/list", meta("2099-01-01")), V, "tools/list", null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
	}

	@Test
	void readWhenVersionHeaderHasControlCharactersThenShownAsQuestionMarks() {
		JsonRpcException ex = rejection(request("tools/list", "{" + META + "}"), "2026\r\n07-28", "tools/list", null);

		assertThat(ex.getMessage()).contains("'2026??07-28'").doesNotContain("\r").doesNotContain("\n");
	}

	// read: unsupported version

	@ParameterizedTest
	@ValueSource(strings = { "2025-11-25", "2025-03-26", "2099-01-01", "" })
	void readWhenVersionConsistentButUnsupportedThenUnsupportedWithSupportedAndRequested(String version) {
		JsonRpcException ex = rejection(request("tools/list", meta(version)), version, null, null);

		assertThat(ex.code()).isEqualTo(UNSUPPORTED_VERSION);
		assertThat(ex.getMessage()).isEqualTo("Unsupported protocol version '" + version + "'");
		assertThat(ex.data().get("requested").stringValue()).isEqualTo(version);
		assertThat(ex.data().get("supported").valueStream().map(JsonNode::stringValue))
			.containsExactlyElementsOf(ProtocolVersion.ids());
	}

	@Test
	void unsupportedWhenBuiltThenErrorCarriesData() {
		JsonRpcException ex = StatelessEnvelope.unsupported("1.0");

		assertThat(ex.toError().data().get("requested").stringValue()).isEqualTo("1.0");
		assertThat(ex.toError().code()).isEqualTo(UNSUPPORTED_VERSION);
	}

	// read: Mcp-Method

	@Test
	void readWhenMethodHeaderMissingThenHeaderMismatch() {
		JsonRpcException ex = rejection(request("tools/list", "{" + META + "}"), V, null, null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo("Header mismatch: the Mcp-Method header is required");
	}

	@ParameterizedTest
	@ValueSource(strings = { "tools/call", "Tools/List", "tools/list/", "" })
	void readWhenMethodHeaderDiffersThenHeaderMismatchNamingBoth(String header) {
		JsonRpcException ex = rejection(request("tools/list", "{" + META + "}"), V, header, null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo(
				"Header mismatch: Mcp-Method header '" + header + "' does not match method 'tools/list' in the body");
	}

	// read: Mcp-Name

	@ParameterizedTest
	@CsvSource({ "tools/call,name", "prompts/get,name", "resources/read,uri" })
	void readWhenNameHeaderMissingThenHeaderMismatchNamingMethod(String method, String field) {
		JsonRpcException ex = rejection(request(method, "{\"" + field + "\":\"x\"," + META + "}"), V, method, null);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo("Header mismatch: the Mcp-Name header is required for " + method);
	}

	@ParameterizedTest
	@CsvSource({ "tools/call,name,docs___search", "prompts/get,name,docs___summary",
			"resources/read,uri,docs+test://static-text" })
	void readWhenNameHeaderMatchesBodyThenAccepted(String method, String field, String value) {
		assertThat(StatelessEnvelope.read(request(method, "{\"" + field + "\":\"" + value + "\"," + META + "}"), V,
				method, value))
			.isNotNull();
	}

	@ParameterizedTest
	@CsvSource({ "tools/call,name", "prompts/get,name", "resources/read,uri" })
	void readWhenNameHeaderDiffersThenHeaderMismatchNamingField(String method, String field) {
		JsonRpcException ex = rejection(request(method, "{\"" + field + "\":\"real\"," + META + "}"), V, method,
				"forged");

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage())
			.isEqualTo("Header mismatch: Mcp-Name header 'forged' does not match params." + field + " in the body");
	}

	@Test
	void readWhenResourcesReadNameHeaderMatchesNameNotUriThenHeaderMismatch() {
		JsonRpcException ex = rejection(
				request("resources/read", "{\"name\":\"n\",\"uri\":\"docs+test://a\"," + META + "}"), V,
				"resources/read", "n");

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).contains("params.uri");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{" + META + "}", "{\"name\":42," + META + "}", "{\"name\":null," + META + "}" })
	void readWhenBodyNameMissingOrNotStringThenHeaderMismatch(String params) {
		JsonRpcException ex = rejection(request("tools/call", params), V, "tools/call", "42");

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).contains("params.name");
	}

	@Test
	void readWhenNameHeaderBase64EncodedThenDecodedAndCompared() {
		String name = "résumé ✓ tool";
		String header = "=?base64?" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "?=";

		assertThat(StatelessEnvelope.read(request("tools/call", params("name", name)), V, "tools/call", header))
			.isNotNull();
	}

	@Test
	void readWhenNameHeaderHasSurroundingWhitespaceThenAccepted() {
		String header = "=?base64?" + Base64.getEncoder().encodeToString("search".getBytes(StandardCharsets.UTF_8))
				+ "?=";

		assertThat(StatelessEnvelope.read(request("tools/call", params("name", "search")), V, "tools/call",
				"  " + header + "\t"))
			.isNotNull();
		assertThat(StatelessEnvelope.read(request("tools/call", params("name", "search")), V, "tools/call", " search "))
			.isNotNull();
	}

	@Test
	void readWhenBase64NameDecodesToOtherValueThenHeaderMismatchShowingDecodedValue() {
		String header = "=?base64?" + Base64.getEncoder().encodeToString("a\nb".getBytes(StandardCharsets.UTF_8))
				+ "?=";

		JsonRpcException ex = rejection(request("tools/call", params("name", "ab")), V, "tools/call", header);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage())
			.isEqualTo("Header mismatch: Mcp-Name header 'a?b' does not match params.name in the body");
	}

	@ParameterizedTest
	@ValueSource(strings = { "=?base64?YWJ?=", "=?base64?YQ?=", "=?base64?YQ=?=", "=?base64?Y===?=", "=?base64?YW!j?=",
			"=?base64?YW J?=", "=?base64?YWJj_-==?=", "=?base64?=YWJ?=", "=?base64?YQ==YQ==?=" })
	void readWhenBase64NameMalformedThenHeaderMismatchInvalidBase64(String header) {
		JsonRpcException ex = rejection(request("tools/call", params("name", "abc")), V, "tools/call", header);

		assertThat(ex.code()).isEqualTo(HEADER_MISMATCH);
		assertThat(ex.getMessage()).isEqualTo("Header mismatch: Mcp-Name header has invalid base64");
	}

	// decode

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "=?base64?YWJj?=|abc", "=?base64?YQ==?=|a", "=?base64?YWI=?=|ab", "plain-name|plain-name",
					"=?base64?YWJj|=?base64?YWJj", "YWJj?=|YWJj?=", "=?BASE64?YWJj?=|=?BASE64?YWJj?=" })
	void decodeWhenValueThenBase64DecodedOrLiteral(String value, String expected) {
		assertThat(StatelessEnvelope.decode(value)).isEqualTo(expected);
	}

	@Test
	void decodeWhenEmptyBase64ThenEmpty() {
		assertThat(StatelessEnvelope.decode("=?base64??=")).isEmpty();
	}

	@Test
	void decodeWhenTooShortToHoldBothMarkersThenLiteral() {
		assertThat(StatelessEnvelope.decode("=?base64?=")).isEqualTo("=?base64?=");
	}

	private static JsonRpcException rejection(JsonRpcRequest request, @Nullable String version, @Nullable String method,
			@Nullable String name) {
		JsonRpcException ex = catchThrowableOfType(JsonRpcException.class,
				() -> StatelessEnvelope.read(request, version, method, name));
		assertThat(ex).as("the request should be refused").isNotNull();
		return ex;
	}

	private static JsonRpcRequest request(String method, @Nullable String params) {
		return new JsonRpcRequest(JsonRpcId.of(1), method, (params != null) ? (ObjectNode) json(params) : null);
	}

	private static String params(String field, String value) {
		ObjectNode params = (ObjectNode) json("{" + META + "}");
		params.put(field, value);
		return params.toString();
	}

	private static String meta(String version) {
		return "{\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" + version
				+ "\",\"io.modelcontextprotocol/clientCapabilities\":{}}}";
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

}
