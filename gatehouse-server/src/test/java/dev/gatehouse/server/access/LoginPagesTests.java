package dev.gatehouse.server.access;

import dev.gatehouse.server.testing.Browser;
import dev.gatehouse.server.testing.IdentityFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * People's pages in a real browser (Debian's Chromium): the dashboard redirects to the identity provider's
 * login, an admin sees it after logging in, anyone else gets 403, "my connections" shows the user's identity and
 * the tools their roles allow, and every form carries a CSRF token.
 */
class LoginPagesTests {

	static IdentityFixture fixture;

	@BeforeAll
	static void start() {
		fixture = IdentityFixture.start();
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void dashboardRedirectsToLoginAndShowsTargetsToAnAdmin() {
		try (Browser browser = Browser.start()) {
			browser.open(fixture.gateway().baseUrl() + "/admin");
			browser.waitForUrl((url) -> url.startsWith(fixture.idp().issuer()) && url.contains("/login"));
			browser.logIn("carol", "password");
			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl() + "/admin"));
			assertThat(browser.find(By.id("targets")).getText()).contains("risk-assessment-mcp", "demo-tools");
			assertThat(browser.text()).contains("Access policy").contains("file");
			assertThat(browser.driver().getPageSource()).contains("name=\"_csrf\"").doesNotContain("risk-key");
		}
	}

	@Test
	void dashboardIsForbiddenToANonAdmin() {
		try (Browser browser = Browser.start()) {
			browser.open(fixture.gateway().baseUrl() + "/admin");
			browser.waitForUrl((url) -> url.contains("/login"));
			browser.logIn("bob", "password");
			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl()));
			assertThat(browser.text()).doesNotContain("risk-assessment-mcp").containsAnyOf("403", "Forbidden");
		}
	}

	@Test
	void myConnectionsShowsTheUsersIdentityRolesAndTools() {
		try (Browser browser = Browser.start()) {
			browser.open(fixture.gateway().baseUrl() + "/me/connections");
			browser.waitForUrl((url) -> url.contains("/login"));
			browser.logIn("bob", "password");
			browser.waitForUrl((url) -> url.startsWith(fixture.gateway().baseUrl() + "/me/connections"));
			assertThat(browser.find(By.id("identity")).getText()).contains("bob").contains("finance-analyst")
				.contains(fixture.idp().issuer());
			String tools = browser.find(By.id("tools")).getText();
			assertThat(tools).contains("risk-assessment-mcp___get_credit_rating")
				.doesNotContain("analyze_portfolio_risk");
			browser.driver().findElement(By.cssSelector("header form button")).click();
			browser.waitForUrl((url) -> url.equals(fixture.gateway().baseUrl() + "/"));
		}
	}
}
