package dev.gatehouse.core.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gatehouse.core.secret.SecretRef;
import dev.gatehouse.core.target.TargetAuth.GrantType;
import dev.gatehouse.core.target.TargetAuth.TokenEndpointAuthMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class TargetDefinitionsTests {

	/** The example of the seed article, verbatim. */
	private static final String SEED = """
			{
			  "name": "risk-assessment-mcp",
			  "endpoint": "https://mcp.example.com/api/v1",
			  "auth": {
			    "type": "oauth2",
			    "authorizationUrl": "https://idp.example.com/authorize",
			    "tokenUrl": "https://idp.example.com/token",
			    "scopes": ["risk:analyze", "data:read"],
			    "clientId": "gatehouse",
			    "clientSecret": "env:RISK_CLIENT_SECRET"
			  }
			}
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final UrlRules STRICT = new UrlRules(false);

	private static final UrlRules DEV = new UrlRules(true);

	// the seed example and round trips

	@Test
	void parseWhenSeedExampleThenAcceptedVerbatim() {
		Target target = TargetDefinitions.parse(json(SEED), STRICT);

		assertThat(target.name()).isEqualTo("risk-assessment-mcp");
		assertThat(target.endpoint()).isEqualTo(URI.create("https://mcp.example.com/api/v1"));
		assertThat(target.description()).isNull();
		assertThat(target.enabled()).isTrue();
		assertThat(target.timeout()).isNull();
		assertThat(target.headers()).isEmpty();
		assertThat(target.namespaced()).isTrue();
		assertThat(target.prefix()).isEqualTo("risk-assessment-mcp");
		assertThat(target.resource()).isEqualTo(URI.create("https://mcp.example.com/api/v1"));
		assertThat(target.auth()).isEqualTo(new TargetAuth.OAuth2(URI.create("https://idp.example.com/authorize"),
				URI.create("https://idp.example.com/token"), List.of("risk:analyze", "data:read"), "gatehouse",
				new SecretRef(SecretRef.Kind.ENV, "RISK_CLIENT_SECRET"), null, null, null,
				GrantType.AUTHORIZATION_CODE));
	}

	@Test
	void toJsonWhenSeedExampleThenSeedMembersUnchangedAndDefaultsAdded() {
		ObjectNode seed = json(SEED);

		ObjectNode written = TargetDefinitions.toJson(TargetDefinitions.parse(seed, STRICT));

		ObjectNode expected = seed.deepCopy();
		expected.put("enabled", true);
		((ObjectNode) expected.get("auth")).put("grantType", "authorization_code");
		assertThat(written).isEqualTo(expected);
	}

	@Test
	void toJsonWhenSeedExampleThenParsesBackToEqualTarget() {
		Target target = TargetDefinitions.parse(json(SEED), STRICT);

		assertThat(TargetDefinitions.parse(TargetDefinitions.toJson(target), STRICT)).isEqualTo(target);
	}

	@Test
	void toJsonWhenEveryExtensionThenParsesBackToEqualTarget() {
		Target target = TargetDefinitions.parse(json("""
				{"name":"docs","endpoint":"https://docs.example.com/mcp","description":"Docs",
				 "enabled":false,"timeout":"PT1M","headers":{"X-Tenant":"acme","X-Trace":"on\\tyes"},
				 "namespaced":false,
				 "auth":{"type":"oauth2","scopes":["a","b"],"tokenEndpointAuthMethod":"private_key_jwt",
				   "resource":"https://docs.example.com/","revocationUrl":"https://idp.example.com/revoke",
				   "grantType":"client_credentials","clientSecret":"file:/run/secrets/docs"}}
				"""), STRICT);

		ObjectNode written = TargetDefinitions.toJson(target);

		assertThat(TargetDefinitions.parse(written, STRICT)).isEqualTo(target);
		assertThat(written.get("timeout").stringValue()).isEqualTo("1m");
		assertThat(written.get("namespaced").booleanValue()).isFalse();
		assertThat(written.get("auth").get("clientSecret").stringValue()).isEqualTo("file:/run/secrets/docs");
		assertThat(target.prefix()).isNull();
		assertThat(target.resource()).isEqualTo(URI.create("https://docs.example.com/"));
		assertThat(target.headers())
			.containsExactlyInAnyOrderEntriesOf(Map.of("X-Tenant", "acme", "X-Trace", "on\tyes"));
	}

	@Test
	void toJsonWhenApiKeyThenWritesReferenceNeverValue() {
		Target target = parse("""
				{"name":"k","endpoint":"https://k.example.com/mcp",
				 "auth":{"type":"apiKey","header":"X-API-Key","key":"env:K_KEY"}}
				""");

		ObjectNode written = TargetDefinitions.toJson(target);

		assertThat(target.auth())
			.isEqualTo(new TargetAuth.ApiKey("X-API-Key", new SecretRef(SecretRef.Kind.ENV, "K_KEY")));
		assertThat(written.get("auth"))
			.isEqualTo(json("{\"type\":\"apiKey\",\"header\":\"X-API-Key\",\"key\":\"env:K_KEY\"}"));
		assertThat(TargetDefinitions.parse(written, STRICT)).isEqualTo(target);
	}

	@Test
	void parseWhenAuthAbsentThenNone() {
		Target target = parse("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\"}");

		assertThat(target.auth()).isEqualTo(new TargetAuth.None());
		assertThat(TargetDefinitions.toJson(target).get("auth")).isEqualTo(json("{\"type\":\"none\"}"));
	}

	@Test
	void parseWhenApiKeyWithoutHeaderThenAuthorizationHeader() {
		Target target = parse("""
				{"name":"a","endpoint":"https://a.example.com","auth":{"type":"apiKey","key":"file:/k"}}
				""");

		TargetAuth.ApiKey auth = (TargetAuth.ApiKey) target.auth();
		assertThat(auth.header()).isEqualTo("Authorization");
		assertThat(auth.isAuthorizationHeader()).isTrue();
		assertThat(auth.key()).isEqualTo(new SecretRef(SecretRef.Kind.FILE, "/k"));
	}

	// top level

	@ParameterizedTest
	@ValueSource(strings = { "[]", "\"x\"", "1", "null" })
	void parseWhenNotAnObjectThenErrorAtRoot(String json) {
		assertThat(errors(json)).containsExactly(new FieldError("$", "a target must be a JSON object"));
	}

	@Test
	void parseWhenUnknownTopLevelFieldThenErrorNamingIt() {
		List<FieldError> errors = errors("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"tokenUrl\":\"x\"}");

		assertThat(errors).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo("tokenUrl");
			assertThat(e.message()).startsWith("is not a known field").contains("endpoint", "namespaced");
		});
	}

	// name

	@ParameterizedTest
	@ValueSource(strings = { "{\"endpoint\":\"https://a.example.com\"}",
			"{\"name\":null,\"endpoint\":\"https://a.example.com\"}" })
	void parseWhenNameMissingThenRequired(String json) {
		assertThat(errors(json)).containsExactly(new FieldError("name", "is required"));
	}

	@Test
	void parseWhenNameNotStringThenError() {
		assertThat(errors("{\"name\":7,\"endpoint\":\"https://a.example.com\"}"))
			.containsExactly(new FieldError("name", "must be a string"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Risk", "risk-Assessment", "1risk", "-risk", "risk_mcp", "risk.mcp", "risk mcp", "", "é" })
	void parseWhenNameBreaksPatternThenErrorQuotingIt(String name) {
		List<FieldError> errors = errors(withName(name));

		assertThat(errors).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo("name");
			assertThat(e.message()).startsWith("must be 1 to 48 characters").endsWith("but was '" + name + "'");
		});
	}

	@Test
	void parseWhenName48CharactersThenAccepted() {
		String name = "a" + "b".repeat(47);

		assertThat(TargetDefinitions.parse(json(withName(name)), STRICT).name()).isEqualTo(name);
	}

	@Test
	void parseWhenName49CharactersThenError() {
		assertThat(errors(withName("a".repeat(49)))).extracting(FieldError::field).containsExactly("name");
	}

	@Test
	void parseWhenNameHasControlCharactersThenMessageShowsThemAsQuestionMarks() {
		assertThat(errors(withName("a\nb")).get(0).message()).endsWith("but was 'a?b'");
	}

	// endpoint

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\":\"a\"}", "{\"name\":\"a\",\"endpoint\":null}" })
	void parseWhenEndpointMissingThenRequired(String json) {
		assertThat(errors(json)).containsExactly(new FieldError("endpoint", "is required"));
	}

	@Test
	void parseWhenEndpointNotStringThenError() {
		assertThat(errors("{\"name\":\"a\",\"endpoint\":{}}"))
			.containsExactly(new FieldError("endpoint", "must be a URL string"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1", "mcp.example.com/api/v1", "//mcp.example.com/api", "" })
	void parseWhenEndpointRelativeThenMustBeAbsolute(String endpoint) {
		assertThat(errors(withEndpoint(endpoint)))
			.containsExactly(new FieldError("endpoint", "must be an absolute URL such as https://mcp.example.com/mcp"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "ftp://mcp.example.com/api|ftp", "javascript:alert(1)|javascript",
					"JavaScript:alert(1)|javascript", "data:text/plain;base64,SGk=|data", "file:///etc/passwd|file",
					"ws://mcp.example.com/mcp|ws" })
	void parseWhenEndpointSchemeNotHttpThenMustUseHttps(String endpoint, String scheme) {
		assertThat(errors(withEndpoint(endpoint)))
			.containsExactly(new FieldError("endpoint", "must use https, not '" + scheme + ":'"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://alice:s3cr3t-pw@mcp.example.com/api", "https://token@mcp.example.com/api" })
	void parseWhenEndpointHasUserInfoThenErrorWithoutEchoingIt(String endpoint) {
		InvalidTargetException ex = invalid(withEndpoint(endpoint), STRICT);

		assertThat(ex.errors()).containsExactly(
				new FieldError("endpoint", "must not contain user info (credentials in URLs leak into logs)"));
		assertThat(ex.getMessage()).doesNotContain("s3cr3t-pw").doesNotContain("token@");
	}

	@Test
	void parseWhenEndpointHasFragmentThenError() {
		assertThat(errors(withEndpoint("https://mcp.example.com/api#frag")))
			.containsExactly(new FieldError("endpoint", "must not contain a fragment"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https:///api", "https:/api", "https://:443/api" })
	void parseWhenEndpointHasNoHostThenError(String endpoint) {
		assertThat(errors(withEndpoint(endpoint))).containsExactly(new FieldError("endpoint", "must name a host"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp example.com/api", "https://mcp.example.com/a b", "https://[::1/api" })
	void parseWhenEndpointNotAUrlThenError(String endpoint) {
		assertThat(errors(withEndpoint(endpoint))).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo("endpoint");
			assertThat(e.message()).startsWith("is not a valid URL (");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://mcp.example.com/api", "http://10.0.0.5:8080/mcp",
			"http://localhost.example.com/mcp", "http://127.0.0.1.nip.io/mcp" })
	void parseWhenEndpointPlainHttpToNonLoopbackThenRefusedEvenWhenLoopbackAllowed(String endpoint) {
		FieldError expected = new FieldError("endpoint",
				"must use https (plain http is allowed only for a loopback host)");

		assertThat(errors(withEndpoint(endpoint), STRICT)).containsExactly(expected);
		assertThat(errors(withEndpoint(endpoint), DEV)).containsExactly(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8080/mcp", "http://127.0.0.1:3001/mcp", "http://[::1]:9000/mcp",
			"HTTP://LOCALHOST/mcp" })
	void parseWhenEndpointPlainHttpToLoopbackThenRefusedUnlessAllowed(String endpoint) {
		assertThat(errors(withEndpoint(endpoint), STRICT)).containsExactly(new FieldError("endpoint",
				"must use https (plain http to loopback needs gatehouse.upstream.allow-insecure-loopback=true)"));
		assertThat(TargetDefinitions.parse(json(withEndpoint(endpoint)), DEV).endpoint())
			.isEqualTo(URI.create(endpoint));
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://mcp.example.com", "https://mcp.example.com:8443/a/b?x=1",
			"HTTPS://MCP.EXAMPLE.COM/", "https://[2001:db8::1]/mcp", "https://localhost/mcp" })
	void parseWhenEndpointHttpsThenAccepted(String endpoint) {
		assertThat(TargetDefinitions.parse(json(withEndpoint(endpoint)), STRICT).endpoint())
			.isEqualTo(URI.create(endpoint));
	}

	// auth

	@ParameterizedTest
	@ValueSource(strings = { "\"oauth2\"", "[]", "1" })
	void parseWhenAuthNotObjectThenError(String auth) {
		assertThat(errors(withAuth(auth)))
			.containsExactly(new FieldError("auth", "must be an object such as {\"type\":\"none\"}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"type\":null}", "{\"type\":1}" })
	void parseWhenAuthTypeMissingThenRequired(String auth) {
		assertThat(errors(withAuth(auth)))
			.containsExactly(new FieldError("auth.type", "is required: one of none, apiKey, oauth2"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "basic", "OAuth2", "apikey", "" })
	void parseWhenAuthTypeUnknownThenErrorQuotingIt(String type) {
		assertThat(errors(withAuth("{\"type\":\"" + type + "\"}"))).containsExactly(
				new FieldError("auth.type", "must be one of none, apiKey, oauth2, but was '" + type + "'"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{\"type\":\"none\",\"key\":\"env:A\"}|auth.key",
					"{\"type\":\"apiKey\",\"key\":\"env:A\",\"scopes\":[]}|auth.scopes",
					"{\"type\":\"oauth2\",\"tokenUrll\":\"https://idp.example.com/token\"}|auth.tokenUrll",
					"{\"type\":\"oauth2\",\"client_secret\":\"env:A\"}|auth.client_secret" })
	void parseWhenUnknownAuthFieldThenErrorNamingItsPath(String auth, String field) {
		assertThat(errors(withAuth(auth))).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo(field);
			assertThat(e.message()).startsWith("is not a known field (known: ");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"apiKey\"}", "{\"type\":\"apiKey\",\"key\":null}",
			"{\"type\":\"apiKey\",\"header\":\"X-API-Key\"}" })
	void parseWhenApiKeyWithoutKeyThenRequired(String auth) {
		assertThat(errors(withAuth(auth))).containsExactly(
				new FieldError("auth.key", "is required: a secret reference such as env:NAME or file:PATH"));
	}

	@Test
	void parseWhenApiKeyKeyNotStringThenError() {
		assertThat(errors(withAuth("{\"type\":\"apiKey\",\"key\":123456}")))
			.containsExactly(new FieldError("auth.key", "must be a secret reference such as env:NAME or file:PATH"));
	}

	@Test
	void parseWhenApiKeyIsLiteralValueThenRefusedWithoutEchoingIt() {
		InvalidTargetException ex = invalid(withAuth("{\"type\":\"apiKey\",\"key\":\"sk-live-4f9a0c11b2\"}"), STRICT);

		assertThat(ex.errors()).containsExactly(new FieldError("auth.key",
				"must be a secret reference such as env:NAME or file:PATH, not a literal value"));
		assertThat(ex.getMessage()).doesNotContain("sk-live-4f9a0c11b2").doesNotContain("4f9a0c11b2");
	}

	@Test
	void parseWhenClientSecretIsLiteralValueThenRefusedWithoutEchoingIt() {
		InvalidTargetException ex = invalid(
				withAuth("{\"type\":\"oauth2\",\"clientId\":\"gh\",\"clientSecret\":\"Zm9vYmFyLXNlY3JldA\"}"), STRICT);

		assertThat(ex.errors()).containsExactly(new FieldError("auth.clientSecret",
				"must be a secret reference such as env:NAME or file:PATH, not a literal value"));
		assertThat(ex.getMessage()).doesNotContain("Zm9vYmFyLXNlY3JldA");
	}

	@ParameterizedTest
	@ValueSource(strings = { "env:", "env:1SECRET", "env:RISK-SECRET", "env:RISK SECRET", "env:$HOME" })
	void parseWhenEnvReferenceHasBadNameThenErrorAtField(String ref) {
		InvalidTargetException ex = invalid(withAuth("{\"type\":\"oauth2\",\"clientSecret\":\"" + ref + "\"}"), STRICT);

		assertThat(ex.errors()).containsExactly(new FieldError("auth.clientSecret",
				"'env:' must be followed by an environment variable name such as RISK_CLIENT_SECRET"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "file:", "file:   " })
	void parseWhenFileReferenceBlankThenErrorAtField(String ref) {
		assertThat(errors(withAuth("{\"type\":\"apiKey\",\"key\":\"" + ref + "\"}")))
			.containsExactly(new FieldError("auth.key", "'file:' must be followed by a file path"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "X API Key", "X-Key:", "", "X-Ключ" })
	void parseWhenApiKeyHeaderInvalidThenError(String header) {
		assertThat(errors(withAuth("{\"type\":\"apiKey\",\"header\":\"" + header + "\",\"key\":\"env:K\"}")))
			.containsExactly(new FieldError("auth.header", "must be an HTTP header name such as X-API-Key"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Mcp-Session-Id", "Host", "cookie", "Content-Type" })
	void parseWhenApiKeyHeaderReservedThenError(String header) {
		assertThat(errors(withAuth("{\"type\":\"apiKey\",\"header\":\"" + header + "\",\"key\":\"env:K\"}")))
			.containsExactly(new FieldError("auth.header", "'" + header + "' is set by the gateway itself"));
	}

	@Test
	void parseWhenApiKeyHeaderAuthorizationInAnyCaseThenAccepted() {
		Target target = parse(withAuth("{\"type\":\"apiKey\",\"header\":\"authorization\",\"key\":\"env:K\"}"));

		assertThat(((TargetAuth.ApiKey) target.auth()).isAuthorizationHeader()).isTrue();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "[\"data:read\",\"read data\"]|auth.scopes[1]", "[\"\"]|auth.scopes[0]", "[1]|auth.scopes[0]",
					"[\"a\\\"b\"]|auth.scopes[0]", "[\"a\\\\b\"]|auth.scopes[0]",
					"[\"ok\",\"tab\\tbed\"]|auth.scopes[1]" })
	void parseWhenScopeNotAScopeTokenThenErrorAtItsIndex(String scopes, String field) {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"scopes\":" + scopes + "}"))).containsExactly(new FieldError(
				field,
				"must be a scope token: printable characters without spaces, quotes or backslashes (RFC 6749 §3.3)"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"data:read risk:analyze\"", "{}", "1" })
	void parseWhenScopesNotArrayThenError(String scopes) {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"scopes\":" + scopes + "}")))
			.containsExactly(new FieldError("auth.scopes", "must be an array of strings such as [\"data:read\"]"));
	}

	@Test
	void parseWhenScopesRepeatedThenKeptOnceInOrder() {
		Target target = parse(withAuth("{\"type\":\"oauth2\",\"scopes\":[\"b\",\"a\",\"b\",\"openid\"]}"));

		assertThat(((TargetAuth.OAuth2) target.auth()).scopes()).containsExactly("b", "a", "openid");
	}

	@Test
	void parseWhenScopesAbsentThenEmpty() {
		Target target = parse(withAuth("{\"type\":\"oauth2\"}"));

		TargetAuth.OAuth2 auth = (TargetAuth.OAuth2) target.auth();
		assertThat(auth.scopes()).isEmpty();
		assertThat(auth.clientId()).isNull();
		assertThat(auth.clientSecret()).isNull();
		assertThat(auth.tokenUrl()).isNull();
		assertThat(auth.authorizationUrl()).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"client_secret_jwt\"", "\"CLIENT_SECRET_BASIC\"", "\"\"", "1", "[]" })
	void parseWhenTokenEndpointAuthMethodUnknownThenError(String method) {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"tokenEndpointAuthMethod\":" + method + "}")))
			.containsExactly(new FieldError("auth.tokenEndpointAuthMethod",
					"must be one of client_secret_basic, client_secret_post, private_key_jwt, none"));
	}

	@ParameterizedTest
	@CsvSource({ "client_secret_basic,CLIENT_SECRET_BASIC", "client_secret_post,CLIENT_SECRET_POST",
			"private_key_jwt,PRIVATE_KEY_JWT", "none,NONE" })
	void parseWhenTokenEndpointAuthMethodKnownThenAccepted(String value, TokenEndpointAuthMethod expected) {
		Target target = parse(withAuth("{\"type\":\"oauth2\",\"tokenEndpointAuthMethod\":\"" + value + "\"}"));

		assertThat(((TargetAuth.OAuth2) target.auth()).tokenEndpointAuthMethod()).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"password\"", "\"implicit\"", "\"Authorization_Code\"", "true" })
	void parseWhenGrantTypeUnknownThenError(String grant) {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"grantType\":" + grant + "}")))
			.containsExactly(new FieldError("auth.grantType", "must be authorization_code or client_credentials"));
	}

	@Test
	void parseWhenGrantTypeClientCredentialsThenAccepted() {
		Target target = parse(withAuth("{\"type\":\"oauth2\",\"grantType\":\"client_credentials\"}"));

		assertThat(((TargetAuth.OAuth2) target.auth()).grantType()).isEqualTo(GrantType.CLIENT_CREDENTIALS);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"authorizationUrl|/authorize|must be an absolute URL such as https://mcp.example.com/mcp",
			"tokenUrl|http://idp.example.com/token|must use https (plain http is allowed only for a loopback host)",
			"resource|https://mcp.example.com/#x|must not contain a fragment",
			"revocationUrl|ftp://idp.example.com/revoke|must use https, not 'ftp:'" })
	void parseWhenOAuthUrlInvalidThenErrorAtItsPath(String member, String url, String message) {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"" + member + "\":\"" + url + "\"}")))
			.containsExactly(new FieldError("auth." + member, message));
	}

	@Test
	void parseWhenOAuthUrlNotStringThenError() {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"tokenUrl\":42}")))
			.containsExactly(new FieldError("auth.tokenUrl", "must be a URL string"));
	}

	@Test
	void parseWhenClientIdTooLongOrNotStringThenError() {
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"clientId\":\"" + "c".repeat(513) + "\"}")))
			.containsExactly(new FieldError("auth.clientId", "must be at most 512 characters"));
		assertThat(errors(withAuth("{\"type\":\"oauth2\",\"clientId\":5}")))
			.containsExactly(new FieldError("auth.clientId", "must be a string"));
	}

	// timeout

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "\"30s\"|PT30S", "\"500ms\"|PT0.5S", "\"PT1M\"|PT1M", "45|PT45S",
			"\"2m\"|PT2M", "\"1h\"|PT1H", "\"100ms\"|PT0.1S", "\" 30s \"|PT30S", "\"pt1m30s\"|PT1M30S" })
	void parseWhenTimeoutInAcceptedFormThenDuration(String timeout, Duration expected) {
		assertThat(parse(withTimeout(timeout)).timeout()).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-5", "3601", "\"99ms\"", "\"61m\"", "\"2h\"", "\"PT0S\"", "\"-PT30S\"",
			"\"PT1H0.001S\"", "\"0s\"" })
	void parseWhenTimeoutOutOfRangeThenError(String timeout) {
		assertThat(errors(withTimeout(timeout)))
			.containsExactly(new FieldError("timeout", "must be between 100ms and 1h"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"fast\"", "\"30 s\"", "\"30sec\"", "\"1.5s\"", "1.5", "true", "{}", "\"\"", "\"30S\"",
			"\"1d\"" })
	void parseWhenTimeoutNotADurationThenError(String timeout) {
		assertThat(errors(withTimeout(timeout)))
			.containsExactly(new FieldError("timeout", "must be a duration such as \"30s\", \"500ms\" or \"PT1M\""));
	}

	@ParameterizedTest
	@CsvSource({ "PT0.5S,500ms", "PT45S,45s", "PT2M,2m", "PT1H,1h", "PT90M,90m", "PT1M30S,90s", "PT0S,0ms",
			"PT1.25S,1250ms" })
	void formatDurationWhenWrittenThenShortestExactForm(Duration duration, String expected) {
		assertThat(TargetDefinitions.formatDuration(duration)).isEqualTo(expected);
	}

	// headers

	@ParameterizedTest
	@ValueSource(strings = { "Authorization", "authorization", "Mcp-Session-Id", "MCP-SESSION-ID", "Host", "Cookie",
			"Mcp-Protocol-Version", "Last-Event-ID", "Content-Length", "Transfer-Encoding", "traceparent" })
	void parseWhenHeaderReservedThenErrorNamingIt(String name) {
		assertThat(errors(withHeaders("{\"" + name + "\":\"v\"}"))).containsExactly(
				new FieldError("headers." + name, "is set by the gateway itself and cannot be configured"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "X Tenant", "X-Tenant:", "", "X-Ünï", "X(Tenant)" })
	void parseWhenHeaderNameInvalidThenErrorQuotingIt(String name) {
		assertThat(errors(withHeaders("{\"" + name + "\":\"v\"}")))
			.containsExactly(new FieldError("headers", "'" + name + "' is not a valid HTTP header name"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"a\\r\\nX-Injected: 1\"", "\"a\\nb\"", "\"a\\u0000b\"", "\"a\\u007fb\"", "5", "null",
			"[\"a\"]" })
	void parseWhenHeaderValueInvalidThenErrorNamingHeader(String value) {
		assertThat(errors(withHeaders("{\"X-Tenant\":" + value + "}")))
			.containsExactly(new FieldError("headers.X-Tenant", "must be a string of printable characters"));
	}

	@Test
	void parseWhenHeaderValueLongerThan4096ThenError() {
		assertThat(errors(withHeaders("{\"X-Tenant\":\"" + "v".repeat(4097) + "\"}")))
			.containsExactly(new FieldError("headers.X-Tenant", "must be a string of printable characters"));
		assertThat(parse(withHeaders("{\"X-Tenant\":\"" + "v".repeat(4096) + "\"}")).headers()).containsKey("X-Tenant");
	}

	@Test
	void parseWhenHeaderRepeatsApiKeyHeaderThenError() {
		List<FieldError> errors = errors("""
				{"name":"a","endpoint":"https://a.example.com","headers":{"x-api-key":"literal"},
				 "auth":{"type":"apiKey","header":"X-API-Key","key":"env:K"}}
				""");

		assertThat(errors)
			.containsExactly(new FieldError("headers.x-api-key", "carries the API key; set it through auth.key"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "\"X-A: 1\"", "1" })
	void parseWhenHeadersNotObjectThenError(String headers) {
		assertThat(errors(withHeaders(headers)))
			.containsExactly(new FieldError("headers", "must be an object of header names to values"));
	}

	@Test
	void parseWhenHeadersValidThenKeptAsGiven() {
		Target target = parse(withHeaders("{\"X-Tenant\":\"acme\",\"x-trace\":\"\",\"X-Tab\":\"a\\tb\"}"));

		assertThat(target.headers())
			.containsExactlyInAnyOrderEntriesOf(Map.of("X-Tenant", "acme", "x-trace", "", "X-Tab", "a\tb"));
	}

	// booleans and description

	@ParameterizedTest
	@ValueSource(strings = { "\"false\"", "0", "\"no\"", "{}" })
	void parseWhenNamespacedNotBooleanThenError(String value) {
		assertThat(errors("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"namespaced\":" + value + "}"))
			.containsExactly(new FieldError("namespaced", "must be true or false"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"true\"", "1" })
	void parseWhenEnabledNotBooleanThenError(String value) {
		assertThat(errors("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"enabled\":" + value + "}"))
			.containsExactly(new FieldError("enabled", "must be true or false"));
	}

	@Test
	void parseWhenNamespacedFalseThenNoPrefix() {
		Target target = parse("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"namespaced\":false}");

		assertThat(target.namespaced()).isFalse();
		assertThat(target.prefix()).isNull();
	}

	@Test
	void parseWhenDescriptionTooLongOrNotStringThenError() {
		assertThat(errors(
				"{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"description\":\"" + "d".repeat(1025) + "\"}"))
			.containsExactly(new FieldError("description", "must be at most 1024 characters"));
		assertThat(errors("{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"description\":[]}"))
			.containsExactly(new FieldError("description", "must be a string"));
	}

	// several errors

	@Test
	void parseWhenSeveralFieldsWrongThenEveryErrorReportedTogether() {
		InvalidTargetException ex = invalid("""
				{"name":"Risk","endpoint":"ftp://mcp.example.com","timeout":"soon","namespaced":"yes",
				 "extra":1,"headers":{"Host":"x"},
				 "auth":{"type":"oauth2","scopes":["a b"],"grantType":"password","clientSecret":"hunter2"}}
				""", STRICT);

		assertThat(ex.errors()).extracting(FieldError::field)
			.containsExactlyInAnyOrder("extra", "name", "endpoint", "auth.scopes[0]", "auth.clientSecret",
					"auth.grantType", "timeout", "headers.Host", "namespaced");
		assertThat(ex.getMessage()).contains("name: must be 1 to 48 characters")
			.contains("; endpoint: must use https, not 'ftp:'")
			.doesNotContain("hunter2");
	}

	@Test
	void invalidTargetExceptionWhenNoErrorsThenRefused() {
		assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new InvalidTargetException(List.of())))
			.hasMessage("an invalid target has at least one error");
	}

	@Test
	void invalidTargetExceptionWhenSingleFieldThenMessageIsFieldAndMessage() {
		InvalidTargetException ex = new InvalidTargetException("endpoint", "is required");

		assertThat(ex.errors()).extracting(FieldError::field, FieldError::message)
			.containsExactly(tuple("endpoint", "is required"));
		assertThat(ex.getMessage()).isEqualTo("endpoint: is required");
	}

	// UrlRules.isLoopbackHost

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "LOCALHOST", "127.0.0.1", "127.255.255.254", "127.1.2.3",
			"::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]" })
	void isLoopbackHostWhenLoopbackNameOrLiteralThenTrue(String host) {
		assertThat(UrlRules.isLoopbackHost(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "localhost.example.com", "mylocalhost", "app.localhost", "127.0.0.1.nip.io", "128.0.0.1",
			"10.0.0.1", "0.0.0.0", "::", "::2", "[::2]", "127.0.0", "1270.0.0.1", "" })
	void isLoopbackHostWhenOtherHostThenFalse(String host) {
		assertThat(UrlRules.isLoopbackHost(host)).isFalse();
	}

	@Test
	void checkWhenAcceptableThenEmpty() {
		assertThat(STRICT.check("https://mcp.example.com/mcp")).isEmpty();
		assertThat(DEV.check("http://localhost:8080/mcp")).isEmpty();
	}

	private static Target parse(String json) {
		return TargetDefinitions.parse(json(json), STRICT);
	}

	private static List<FieldError> errors(String json) {
		return errors(json, STRICT);
	}

	private static List<FieldError> errors(String json, UrlRules rules) {
		return invalid(json, rules).errors();
	}

	private static InvalidTargetException invalid(String json, UrlRules rules) {
		JsonNode node = JSON.readTree(json);
		InvalidTargetException ex = catchThrowableOfType(InvalidTargetException.class,
				() -> TargetDefinitions.parse(node, rules));
		assertThat(ex).as("%s should be refused", json).isNotNull();
		return ex;
	}

	private static <T extends JsonNode> T json(String json) {
		@SuppressWarnings("unchecked")
		T node = (T) JSON.readTree(json);
		return node;
	}

	private static String withName(String name) {
		return "{\"name\":\"" + name.replace("\n", "\\n") + "\",\"endpoint\":\"https://a.example.com\"}";
	}

	private static String withEndpoint(String endpoint) {
		return "{\"name\":\"a\",\"endpoint\":\"" + endpoint + "\"}";
	}

	private static String withAuth(String auth) {
		return "{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"auth\":" + auth + "}";
	}

	private static String withTimeout(String timeout) {
		return "{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"timeout\":" + timeout + "}";
	}

	private static String withHeaders(String headers) {
		return "{\"name\":\"a\",\"endpoint\":\"https://a.example.com\",\"headers\":" + headers + "}";
	}


	@org.junit.jupiter.api.Test
	void parseWhenPortOutOfRangeThenEndpointRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> TargetDefinitions.parse(
					tools.jackson.databind.json.JsonMapper.builder().build()
						.readTree("{\"name\":\"p\",\"endpoint\":\"https://mcp.example.com:99999/mcp\"}"),
					new UrlRules(false)))
			.isInstanceOf(InvalidTargetException.class)
			.hasMessageContaining("endpoint")
			.hasMessageContaining("port");
	}

	@org.junit.jupiter.api.Test
	void parseWhenAHeaderIsGivenTwiceInDifferentCaseThenRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> TargetDefinitions.parse(
					tools.jackson.databind.json.JsonMapper.builder().build()
						.readTree("{\"name\":\"p\",\"endpoint\":\"https://mcp.example.com/mcp\","
								+ "\"headers\":{\"X-A\":\"1\",\"x-a\":\"2\"}}"),
					new UrlRules(false)))
			.isInstanceOf(InvalidTargetException.class)
			.hasMessageContaining("headers.x-a")
			.hasMessageContaining("twice");
	}
}
