package dev.gatehouse.server.credentials;

import java.util.List;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.OAuthFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent flow in a real headless browser (Debian's Chromium): the agent's tools/call gives a link; the person
 * logs in at the IdP, confirms on the gateway's page, approves the scopes on the authorization server's consent
 * screen, lands on the gateway's result page; the agent's retry succeeds and the target saw that person. Then the
 * person disconnects on "My connections".
 */
class ConsentBrowserTests {

	static OAuthFixture fixture;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder().consentScreen(true).start();
		fixture.connectFirst("bob");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aPersonConnectsInTheBrowserAndTheAgentsRetrySucceedsAsThatPerson() {
		McpTestClient alice = fixture.agent("alice");
		JsonNode refused = alice.result("tools/call", OAuthFixture.ANALYZE);
		assertThat(refused.get("isError").asBoolean()).isTrue();
		String link = OAuthFixture.link(refused);
		try (Browser browser = Browser.start()) {
			browser.open(link);
			browser.waitForUrl((url) -> url.startsWith(fixture.idp().issuer()) && url.contains("/login"));
			browser.logIn("alice", "password");
			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl() + "/connect/"));
			assertThat(browser.find(By.id("scopes")).getText()).contains("risk:analyze", "data:read");
			assertThat(browser.find(By.id("authorization-server")).getText()).isEqualTo("127.0.0.1");
			assertThat(browser.driver().getPageSource()).contains("name=\"_csrf\"");
			browser.find(By.id("connect")).click();

			browser.waitForUrl((url) -> url.startsWith(fixture.idp().issuer()));
			List<WebElement> scopes = browser.driver().findElements(By.cssSelector("input[name=scope]"));
			assertThat(scopes).isNotEmpty();
			for (WebElement scope : scopes) {
				if (!scope.isSelected()) {
					scope.click();
				}
			}
			browser.find(By.id("submit-consent")).click();

			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl() + "/oauth/callback/"));
			WebElement result = browser.find(By.id("result"));
			assertThat(result.getAttribute("data-outcome")).isEqualTo("connected");
			assertThat(browser.driver().getPageSource()).doesNotContain("code_verifier").doesNotContain("access_token");
		}
		JsonNode retried = alice.result("tools/call", OAuthFixture.ANALYZE);
		assertThat(retried.has("isError") && retried.get("isError").asBoolean()).as(retried.toString()).isFalse();
		assertThat(retried.get("_meta").get("dev.gatehouse.demo/caller").get("sub").asString()).isEqualTo("alice");
	}

	@Test
	void aPersonDisconnectsOnMyConnections() {
		if (fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "bob").isEmpty()) {
			fixture.connectFirst("bob");
		}
		try (Browser browser = Browser.start()) {
			browser.open(fixture.gateway().baseUrl() + "/me/connections");
			browser.waitForUrl((url) -> url.contains("/login"));
			browser.logIn("bob", "password");
			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl() + "/me/connections"));
			assertThat(browser.find(By.id("connections")).getText()).contains("risk-assessment-mcp", "data:read");
			browser.find(By.cssSelector("button.disconnect")).click();
			assertThat(browser.find(By.id("disconnected")).getText()).contains("risk-assessment-mcp");
		}
		assertThat(fixture.gateway().bean(Grants.class).list(OAuthFixture.TARGET, null, "bob")).isEmpty();
		assertThat(fixture.idp().activeAuthorizations(OAuthFixture.CLIENT_ID, "bob")).isZero();
	}
}
