package dev.gatehouse.server.access;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.RawHttp;
import dev.gatehouse.server.testing.ScriptedBrowser;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every redirect URI the gateway sends an authorization server comes from {@code gatehouse.public-url}, never from
 * the request's {@code Host}; a Host the gateway does not answer to is refused before anything starts. The
 * gateway's public URL here is {@code http://127.0.0.1:port}; {@code localhost:port} is another (loopback) name
 * that reaches it, {@code evil.example} a foreign one.
 */
class PublicUrlRedirectTests {

	static OAuthFixture fixture;

	static String base;

	static int port;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().start();
		port = fixture.gateway().port();
		base = "http://127.0.0.1:" + port;
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void loginWhenHostIsAnotherNameThenRedirectUriIsThePublicUrls() {
		RawHttp.Response redirect = RawHttp.get(port, "/oauth2/authorization/idp", "localhost:" + port, Map.of());
		assertThat(redirect.status()).as(redirect.toString()).isEqualTo(302);
		assertThat(redirect.header("Location")).startsWith(fixture.idp().issuer());
		assertThat(redirect.locationParameter("redirect_uri")).isEqualTo(base + "/login/oauth2/code/idp");
	}

	@Test
	void resourceMetadataAndChallengesWhenHostIsAnotherNameThenNameThePublicUrl() {
		String host = "localhost:" + port;
		RawHttp.Response metadata = RawHttp.get(port, "/.well-known/oauth-protected-resource/mcp", host, Map.of());
		assertThat(metadata.status()).isEqualTo(200);
		assertThat(metadata.body()).contains("\"resource\":\"" + base + "/mcp\"").doesNotContain("localhost");
		RawHttp.Response challenge = RawHttp.send(port, "POST", "/mcp", host,
				Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"), "{}");
		assertThat(challenge.status()).isEqualTo(401);
		assertThat(challenge.header("WWW-Authenticate"))
			.contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/mcp\"")
			.doesNotContain("localhost");
	}

	@Test
	void pagesWhenHostIsForeignThenRefused400AndNoLoginStarts() {
		for (String path : new String[] { "/oauth2/authorization/idp", "/admin", "/me/connections", "/" }) {
			RawHttp.Response refused = RawHttp.get(port, path, "evil.example", Map.of());
			assertThat(refused.status()).as(path + " " + refused).isEqualTo(400);
			assertThat(refused.header("Location")).as(path).isNull();
			assertThat(refused.all("Set-Cookie")).as("no session, no saved authorization request").isEmpty();
			assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
			assertThat(refused.body()).contains("Host 'evil.example' is not allowed");
		}
		assertThat(RawHttp.get(port, "/actuator/health", "10.0.0.7:" + port, Map.of()).status())
			.as("load balancers probe health by address").isEqualTo(200);
	}

	@Test
	void consentWhenHostIsAnotherNameThenAuthorizationRedirectUriIsThePublicUrlsAndForeignHostStartsNothing() {
		McpTestClient agent = fixture.agent("alice");
		String link = OAuthFixture.link(agent.result("tools/call", OAuthFixture.CONNECT));
		ScriptedBrowser browser = new ScriptedBrowser();
		ScriptedBrowser.Page page = browser.open(link);
		if (page.isAt(fixture.idp().issuer() + "/login")) {
			page = browser.login(page, "alice", "password");
		}
		assertThat(page.body()).contains("id=\"connect\"");
		Element form = page.document().selectFirst("form[action*=/connect/]");
		String action = URI.create(form.absUrl("action")).getRawPath();
		Map<String, String> fields = new LinkedHashMap<>();
		form.select("input[name]").forEach((input) -> fields.put(input.attr("name"), input.attr("value")));
		fields.put("decision", "connect");
		String body = fields.entrySet().stream()
			.map((e) -> enc(e.getKey()) + "=" + enc(e.getValue()))
			.collect(Collectors.joining("&"));
		Map<String, String> headers = Map.of("Cookie", browser.cookies().getCookieStore().get(URI.create(base)).stream()
			.map((c) -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; ")));
		JdbcClient jdbc = JdbcClient.create(fixture.gateway().bean(DataSource.class));
		int transactions = transactions(jdbc);

		RawHttp.Response foreign = RawHttp.postForm(port, action, "evil.example", headers, body);
		assertThat(foreign.status()).as(foreign.toString()).isEqualTo(400);
		assertThat(foreign.header("Location")).isNull();
		assertThat(transactions(jdbc)).as("no authorization transaction stored").isEqualTo(transactions);

		RawHttp.Response started = RawHttp.postForm(port, action, "localhost:" + port, headers, body);
		assertThat(started.status()).as(started.toString()).isEqualTo(302);
		assertThat(started.header("Location")).startsWith(fixture.idp().issuer() + "/oauth2/authorize");
		assertThat(started.locationParameter("redirect_uri"))
			.isEqualTo(base + "/oauth/callback/" + OAuthFixture.TARGET);
		assertThat(transactions(jdbc)).isEqualTo(transactions + 1);
	}

	private static int transactions(JdbcClient jdbc) {
		return jdbc.sql("select count(*) from oauth_transaction").query(Integer.class).single();
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
