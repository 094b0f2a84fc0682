package dev.gatehouse.demo.host;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.RSAKey;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.gatehouse.demo.RawHttp;
import dev.gatehouse.demo.SteppedClock;
import dev.gatehouse.demo.TestClients;
import dev.gatehouse.demo.idp.DemoIdentityProvider;
import dev.gatehouse.demo.idp.HeadlessLogin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link McpServerHost.Builder#bearerTokens(BearerTokenSettings)} against a real
 * {@link DemoIdentityProvider}: protected resource metadata, the 401 challenge, a real
 * token that works, and every rejection branch (missing, expired, wrong audience, wrong
 * issuer, bad signature, alg none, wrong type, not a JWT, missing scope), after which
 * nothing runs.
 */
class McpServerHostBearerTokenTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TOOLS_CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
			+ "\"params\":{\"name\":\"count\",\"arguments\":{}}}";

	private static final RSAKey KEY = CraftedTokens.key("idp-key");

	private static final SteppedClock clock = new SteppedClock(Instant.now());

	private static final AtomicInteger calls = new AtomicInteger();

	private static DemoIdentityProvider idp;

	private static McpServerHost host;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder().signingKey(KEY).clock(clock).scopes("count:call").start();
		host = McpServerHost.builder()
			.bearerTokens(BearerTokenSettings.builder(idp.issuer()).toolScope("count", "count:call").clock(clock).build())
			.server(TestServers.counting(calls))
			.start();
	}

	@AfterAll
	static void stop() {
		host.close();
		idp.close();
	}

	@BeforeEach
	void reset() {
		calls.set(0);
	}

	@Test
	void metadataWhenFetchedAtPathOrRootWithoutTokenThenDescribesTheResource() {
		for (String url : List.of(host.resourceMetadataUrl(),
				host.baseUrl() + "/.well-known/oauth-protected-resource")) {
			HttpResponse<String> response = RawHttp.get(url);

			assertThat(response.statusCode()).as(url).isEqualTo(200);
			JsonNode metadata = JSON.readTree(response.body());
			assertThat(metadata.get("resource").stringValue()).isEqualTo(host.url());
			assertThat(strings(metadata.get("authorization_servers"))).containsExactly(idp.issuer());
			assertThat(strings(metadata.get("scopes_supported"))).containsExactly("count:call");
			assertThat(strings(metadata.get("bearer_methods_supported"))).containsExactly("header");
		}
		assertThat(host.resourceMetadataUrl())
			.isEqualTo(host.baseUrl() + "/.well-known/oauth-protected-resource/mcp");
	}

	@Test
	void postWhenNoTokenThen401NamingMetadataAndScopeAndNothingRuns() {
		HttpResponse<String> response = RawHttp.post(host.url(), TOOLS_CALL);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
				"Bearer resource_metadata=\"" + host.resourceMetadataUrl() + "\", scope=\"count:call\"");
		assertThat(calls).hasValue(0);
		assertThat(last()).isEqualTo(new ObservedToken("tools/call", null, null, List.of(), null, "", "missing"));
	}

	@Test
	void postWhenOtherSchemeThenTreatedAsMissing() {
		HttpResponse<String> response = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization", "Basic YTpi");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(last().rejection()).isEqualTo("missing");
	}

	@Test
	void sdkClientWhenRealTokenForThisResourceThenCallsToolAndIsObservedByHashOnly() {
		String token = login("openid count:call", host.url());

		try (McpSyncClient client = client(token)) {
			client.initialize();
			client.callTool(CallToolRequest.builder("count").build());
		}

		assertThat(calls).hasValue(1);
		ObservedToken observed = last();
		assertThat(observed.rejection()).isNull();
		assertThat(observed.accepted()).isTrue();
		assertThat(observed.subject()).isEqualTo("alice");
		assertThat(observed.audience()).containsExactly(host.url());
		assertThat(observed.scope()).isEqualTo("count:call openid");
		assertThat(observed.tokenSha256()).isEqualTo(BearerTokenFilter.sha256Hex(token));
		assertThat(host.observedTokens().toString()).doesNotContain(token);
		assertThat(host.observedTokens()).extracting(ObservedToken::method).contains("initialize", "tools/call");
	}

	@Test
	void sdkClientWhenNoTokenThenAuthorizationExceptionAndNothingRuns() {
		try (McpSyncClient client = TestClients.streamable(host)) {
			assertThatThrownBy(client::initialize)
				.hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
		}
		assertThat(calls).hasValue(0);
	}

	@Test
	void toolsCallWhenTokenLacksTheToolScopeThen403InsufficientScopeAndNothingRuns() {
		String token = login("openid", host.url());
		String session = initialize(token);

		HttpResponse<String> response = RawHttp.post(host.url(), TOOLS_CALL, "Authorization", "Bearer " + token,
				"Mcp-Session-Id", session, "MCP-Protocol-Version", "2025-11-25");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
				"Bearer error=\"insufficient_scope\", scope=\"count:call\", resource_metadata=\""
						+ host.resourceMetadataUrl() + "\"");
		assertThat(JSON.readTree(response.body()).get("error").stringValue()).isEqualTo("insufficient_scope");
		assertThat(calls).hasValue(0);
		assertThat(last().rejection()).isEqualTo("insufficient_scope");
		assertThat(last().subject()).isEqualTo("alice");
	}

	@Test
	void postWhenTokenExpiredByTheHostClockThen401InvalidTokenButWithinSkewAccepted() {
		String token = login("openid count:call", host.url());
		clock.advance(Duration.ofMinutes(5).plusSeconds(30));
		try {
			assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization", "Bearer " + token).statusCode())
				.as("within 60 s of skew")
				.isEqualTo(200);

			clock.advance(Duration.ofSeconds(31));

			assertInvalidToken(token, "expired", "The access token expired");
			assertThat(last().subject()).isEqualTo("alice");
		}
		finally {
			clock.advance(Duration.ofMinutes(10));
		}
	}

	@Test
	void postWhenTokenIsForAnotherResourceThen401Audience() {
		String token = login("openid count:call", "http://127.0.0.1:1/mcp");

		assertInvalidToken(token, "audience", "The access token audience does not include " + host.url());
		assertThat(last().audience()).containsExactly("http://127.0.0.1:1/mcp");
	}

	@Test
	void postWhenTokenOfAnotherProviderThen401Issuer() {
		try (DemoIdentityProvider other = DemoIdentityProvider.builder().scopes("count:call").start()) {
			String token = HeadlessLogin.builder(other.issuer())
				.scope("count:call")
				.resource(host.url())
				.build()
				.login("alice", "password")
				.accessToken();

			assertInvalidToken(token, "issuer", "The access token was not issued by " + idp.issuer());
			assertThat(last().subject()).as("unverified claims are not reported").isNull();
		}
	}

	@Test
	void postWhenSignedByAStrangerKeyWithTheProvidersKeyIdThen401Signature() {
		String token = CraftedTokens.signed(CraftedTokens.key("idp-key"), "at+jwt",
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());

		assertInvalidToken(token, "signature", "The access token signature is invalid");
	}

	@Test
	void postWhenSignedByAnUnknownKeyIdThen401Signature() {
		String token = CraftedTokens.signed(CraftedTokens.key("unknown-kid"), "at+jwt",
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());

		assertInvalidToken(token, "signature", "The access token signature is invalid");
	}

	@Test
	void postWhenUnsignedAlgNoneThen401Signature() {
		String token = CraftedTokens.unsigned(CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());

		assertInvalidToken(token, "signature", "Unsigned access tokens (alg none) are refused");
	}

	@Test
	void postWhenCraftedWithTheProvidersKeyThenAcceptedButNotWithAnotherType() {
		String good = CraftedTokens.signed(KEY, "at+jwt",
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());
		String plainJwt = CraftedTokens.signed(KEY, "JWT",
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());
		String idTokenType = CraftedTokens.signed(KEY, null,
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());
		String dpop = CraftedTokens.signed(KEY, "dpop+jwt",
				CraftedTokens.claims(idp.issuer(), host.url(), clock.instant()).build());

		assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization", "Bearer " + good).statusCode())
			.isEqualTo(200);
		assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization", "Bearer " + plainJwt).statusCode())
			.isEqualTo(200);
		assertInvalidToken(idTokenType, "type", "The access token typ is not at+jwt or JWT");
		assertInvalidToken(dpop, "type", "The access token typ is not at+jwt or JWT");
	}

	@Test
	void postWhenTokenIsNotAJwtThen401Malformed() {
		assertInvalidToken("not-a-jwt", "malformed", "The access token is not a JWT");
	}

	@Test
	void builderWhenApiKeyAndBearerTokensThenRefused() {
		BearerTokenSettings settings = BearerTokenSettings.builder(idp.issuer()).build();

		assertThatThrownBy(() -> McpServerHost.builder().apiKey("X-API-Key", "k").bearerTokens(settings))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("apiKey and bearerTokens are mutually exclusive");
		assertThatThrownBy(() -> McpServerHost.builder().bearerTokens(settings).apiKey("X-API-Key", "k"))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void settingsWhenScopesSupportedNotSetThenTheToolScopes() {
		BearerTokenSettings settings = BearerTokenSettings.builder("https://idp.example")
			.toolScope("a", "s1")
			.toolScope("b", "s2")
			.toolScope("c", "s1")
			.build();

		assertThat(settings.scopesSupported()).containsExactly("s1", "s2");
		assertThatThrownBy(() -> BearerTokenSettings.builder("idp.example"))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(settings.toString()).contains("https://idp.example");
	}

	private static void assertInvalidToken(String token, String rejection, String description) {
		int before = calls.get();

		HttpResponse<String> response = RawHttp.post(host.url(), TOOLS_CALL, "Authorization", "Bearer " + token);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\", "
				+ "error_description=\"" + description + "\", resource_metadata=\"" + host.resourceMetadataUrl() + "\"");
		assertThat(calls).hasValue(before);
		ObservedToken observed = last();
		assertThat(observed.rejection()).isEqualTo(rejection);
		assertThat(observed.method()).isEqualTo("tools/call");
		assertThat(observed.tokenSha256()).isEqualTo(BearerTokenFilter.sha256Hex(token));
	}

	private static String login(String scope, String resource) {
		return HeadlessLogin.builder(idp.issuer())
			.scope(scope)
			.resource(resource)
			.build()
			.login("alice", "password")
			.accessToken();
	}

	private static String initialize(String token) {
		HttpResponse<String> initialized = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization",
				"Bearer " + token);
		assertThat(initialized.statusCode()).isEqualTo(200);
		return initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	private static McpSyncClient client(String token) {
		return TestClients.streamable(host, (transport) -> transport.httpRequestCustomizer(
				(request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token)),
				(spec) -> spec);
	}

	private static ObservedToken last() {
		List<ObservedToken> observed = host.observedTokens();
		return observed.get(observed.size() - 1);
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.stringValue()));
		return values;
	}

}
