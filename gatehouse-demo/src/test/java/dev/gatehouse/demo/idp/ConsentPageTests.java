package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent page as a browser meets it: after the login, every requested scope is ticked, so pressing the button
 * grants them; Cancel grants nothing; the page refuses a request it cannot serve.
 */
class ConsentPageTests {

	private static final String CALLBACK = "http://127.0.0.1:18080/oauth/callback/risk-assessment-mcp";

	private static DemoIdentityProvider idp;

	@BeforeAll
	static void start() {
		idp = DemoIdentityProvider.builder()
			.client(DemoClient.builder("consent-client")
				.redirectUris(CALLBACK)
				.scopes("risk:analyze", "data:read")
				.requireConsent(true)
				.build())
			.start();
	}

	@AfterAll
	static void stop() {
		idp.close();
	}

	@Test
	void consentPageWhenOpenedThenEveryRequestedScopeIsTicked() {
		Browser browser = new Browser();
		String page = browser.consentPage("alice", "risk:analyze data:read");

		HtmlForm form = HtmlForm.consentForm(page);
		assertThat(form).isNotNull();
		List<HtmlForm.Input> scopes = form.inputs().stream().filter((input) -> input.name().equals("scope")).toList();
		assertThat(scopes).extracting(HtmlForm.Input::value).containsExactly("risk:analyze", "data:read");
		assertThat(scopes).allMatch(HtmlForm.Input::checked);
	}

	@Test
	void consentPageWhenSubmittedUntouchedThenEveryRequestedScopeIsGranted() {
		Browser browser = new Browser();
		HtmlForm form = HtmlForm.consentForm(browser.consentPage("bob", "risk:analyze data:read"));

		HttpResponse<String> response = browser.post(form.action(), asIs(form));

		assertThat(response.statusCode()).isEqualTo(302);
		String location = response.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith(CALLBACK);
		assertThat(IdpHttp.query(location)).containsKey("code").doesNotContainKey("error");
	}

	@Test
	void consentPageWhenCancelledThenAccessDenied() {
		Browser browser = new Browser();
		String page = browser.consentPage("dave", "risk:analyze");
		HtmlForm cancel = HtmlForm.parse(page).get(1);
		assertThat(cancel.inputs()).noneMatch((input) -> input.name().equals("scope"));

		HttpResponse<String> response = browser.post(cancel.action(), asIs(cancel));

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(IdpHttp.query(response.headers().firstValue("Location").orElseThrow())).containsEntry("error",
				"access_denied");
	}

	@Test
	void consentPageWhenClientUnknownThenBadRequest() {
		Browser browser = new Browser();
		browser.logIn("alice");

		HttpResponse<String> response = browser.get(idp.issuer() + "/oauth2/consent?client_id=nobody&state=x&scope=a");

		assertThat(response.statusCode()).isEqualTo(400);
	}

	/** What a browser posts when the button is pressed without touching the form: hidden fields, ticked boxes. */
	private static Map<String, List<String>> asIs(HtmlForm form) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (HtmlForm.Input input : form.inputs()) {
			if (input.type().equals("hidden") || (input.type().equals("checkbox") && input.checked())) {
				fields.computeIfAbsent(input.name(), (name) -> new java.util.ArrayList<>()).add(input.value());
			}
		}
		return fields;
	}

	/** A cookie jar and manual redirects: one person's browser. */
	private static final class Browser {

		private final HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		/** Starts an authorization request, logs in, and returns the consent page it leads to. */
		String consentPage(String user, String scope) {
			Pkce pkce = Pkce.generate(new SecureRandom());
			String authorize = idp.issuer() + "/oauth2/authorize?response_type=code&client_id=consent-client"
					+ "&redirect_uri=" + encode(CALLBACK) + "&scope=" + encode(scope) + "&state=st4te"
					+ "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
			HttpResponse<String> response = get(authorize);
			assertThat(response.statusCode()).isEqualTo(302);
			logIn(user);
			response = get(authorize);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
			String consent = resolve(response.headers().firstValue("Location").orElseThrow());
			assertThat(consent).startsWith(idp.issuer() + "/oauth2/consent?");
			response = get(consent);
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}

		void logIn(String user) {
			HttpResponse<String> login = get(idp.issuer() + "/login");
			HtmlForm form = HtmlForm.loginForm(login.body());
			assertThat(form).isNotNull();
			HttpResponse<String> posted = post(form.action(), form.credentials(user, "password"));
			assertThat(posted.statusCode()).isEqualTo(302);
			assertThat(posted.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
		}

		HttpResponse<String> get(String url) {
			return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
		}

		HttpResponse<String> post(String action, Map<String, List<String>> fields) {
			return send(HttpRequest.newBuilder(URI.create(resolve(action)))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(HttpExchanges.encode(fields)))
				.build());
		}

		private HttpResponse<String> send(HttpRequest request) {
			try {
				return this.client.send(request, HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		private static String resolve(String url) {
			return URI.create(idp.issuer() + "/").resolve(url).toString();
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

}
